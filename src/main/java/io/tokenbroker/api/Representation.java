package io.tokenbroker.api;

import java.nio.charset.StandardCharsets;

import org.springframework.http.MediaType;

/** The two bodies {@code GET /token} answers with, and the type each is sent as. */
enum Representation {

	/** The token and what to know of it, as JSON: conditional on its entity tag. */
	JSON(MediaType.APPLICATION_JSON),

	/** The access token alone. */
	PLAIN(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));

	private final MediaType contentType;

	private final byte[] contentTypeBytes;

	Representation(MediaType contentType) {
		this.contentType = contentType;
		this.contentTypeBytes = contentType.toString().getBytes(StandardCharsets.ISO_8859_1);
	}

	MediaType contentType() {
		return this.contentType;
	}

	/** The {@code Content-Type} value as the bytes Tomcat writes. */
	byte[] contentTypeBytes() {
		return this.contentTypeBytes;
	}

}
