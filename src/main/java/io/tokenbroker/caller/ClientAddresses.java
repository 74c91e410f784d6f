package io.tokenbroker.caller;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The address a request really comes from: the connection's peer, unless that peer is a
 * proxy the operator named in {@code broker.security.trusted-proxies}; then
 * {@code X-Forwarded-For} (all its lines, in order) is read from the right, past every
 * trusted proxy, to the first address that is not one. Nothing else in the request can
 * change it, so neither a made-up header nor a private network address lets a caller pose
 * as another.
 */
public final class ClientAddresses {

	/** Request attribute holding the resolved address. */
	static final String ATTRIBUTE = ClientAddresses.class.getName() + ".address";

	private static final String FORWARDED_FOR = "X-Forwarded-For";

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

	private final List<Range> trusted;

	/**
	 * @param trustedProxies addresses or CIDR ranges ({@code 10.0.0.0/8},
	 * {@code fd00::/8})
	 * @throws IllegalArgumentException when one is neither
	 */
	public ClientAddresses(List<String> trustedProxies) {
		List<Range> ranges = new ArrayList<>();
		trustedProxies.forEach((proxy) -> ranges.add(Range.parse(proxy)));
		this.trusted = List.copyOf(ranges);
	}

	/** The address the request comes from, resolved once per request. */
	public String of(HttpServletRequest request) {
		if (this.trusted.isEmpty()) {
			// no proxy to look past: the peer, which Tomcat keeps for the connection
			return request.getRemoteAddr();
		}
		Object resolved = request.getAttribute(ATTRIBUTE);
		if (resolved instanceof String address) {
			return address;
		}
		String address = resolve(request.getRemoteAddr(), request.getHeaders(FORWARDED_FOR));
		request.setAttribute(ATTRIBUTE, address);
		return address;
	}

	/**
	 * Every {@code X-Forwarded-For} line, in the order received, is part of one chain: a
	 * proxy may append its own line after the one the client sent (HAProxy's
	 * {@code option forwardfor} does), so the first line alone is the client's word.
	 */
	private String resolve(String peer, Enumeration<String> lines) {
		if (lines == null || !lines.hasMoreElements() || !trusts(peer)) {
			return peer;
		}
		List<String> hops = new ArrayList<>();
		while (lines.hasMoreElements()) {
			for (String hop : lines.nextElement().split(",")) {
				hops.add(hop.strip());
			}
		}
		String client = peer;
		for (int i = hops.size() - 1; i >= 0; i--) {
			String hop = hops.get(i);
			if (literal(hop) == null) {
				// not an address: whoever wrote it is not to be believed past this point
				return client;
			}
			client = hop;
			if (!trusts(hop)) {
				return hop;
			}
		}
		return client;
	}

	private boolean trusts(String address) {
		byte[] bytes = literal(address);
		return bytes != null && this.trusted.stream().anyMatch((range) -> range.contains(bytes));
	}

	/** The bytes of an IP literal, or {@code null}: never a name lookup. */
	static byte[] literal(String text) {
		if (text == null || text.isEmpty() || text.length() > 45) {
			return null;
		}
		boolean v4 = IPV4.matcher(text).matches();
		if (!v4 && !(text.indexOf(':') >= 0 && IPV6.matcher(text).matches())) {
			return null;
		}
		try {
			return InetAddress.getByName(text).getAddress();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/** An address or a CIDR range. */
	private record Range(byte[] network, int prefix) {

		static Range parse(String text) {
			String[] parts = text.strip().split("/", 2);
			byte[] network = literal(parts[0]);
			if (network == null) {
				throw new IllegalArgumentException(text + " is neither an IP address nor a CIDR range");
			}
			int prefix = network.length * 8;
			if (parts.length == 2) {
				try {
					prefix = Integer.parseInt(parts[1]);
				}
				catch (NumberFormatException ex) {
					prefix = -1;
				}
				if (prefix < 0 || prefix > network.length * 8) {
					throw new IllegalArgumentException(text + " has an invalid prefix length");
				}
			}
			return new Range(network, prefix);
		}

		boolean contains(byte[] address) {
			if (address.length != this.network.length) {
				return false;
			}
			int whole = this.prefix / 8;
			if (!Arrays.equals(address, 0, whole, this.network, 0, whole)) {
				return false;
			}
			int rest = this.prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = 0xff << (8 - rest) & 0xff;
			return (address[whole] & mask) == (this.network[whole] & mask);
		}

	}

}
