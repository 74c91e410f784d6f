package io.tokenbroker.caller;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;

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

	/**
	 * The bytes of an IP literal, or {@code null}: parsed here, never handed to a
	 * resolver, so no text a caller sends causes a name lookup. IPv4 is four decimal
	 * octets without leading zeros (which some parsers read as octal); IPv6 is hex groups
	 * with at most one {@code ::} and an optional dotted IPv4 tail, without a zone. An
	 * IPv4-mapped IPv6 address is its IPv4 address, as Tomcat reports the peer.
	 */
	static byte[] literal(String text) {
		if (text == null || text.isEmpty() || text.length() > 45) {
			return null;
		}
		byte[] bytes = (text.indexOf(':') >= 0) ? ipv6(text) : new byte[4];
		if (bytes == null || (bytes.length == 4 && !ipv4(text, 0, bytes, 0))) {
			return null;
		}
		return mappedIpv4(bytes) ? Arrays.copyOfRange(bytes, 12, 16) : bytes;
	}

	/** Reads {@code a.b.c.d} from {@code text[from..]} into {@code bytes[at..at+4]}. */
	private static boolean ipv4(String text, int from, byte[] bytes, int at) {
		int octet = 0;
		int value = 0;
		int digits = 0;
		for (int i = from; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '.') {
				if (digits == 0 || octet == 3) {
					return false;
				}
				bytes[at + octet++] = (byte) value;
				value = 0;
				digits = 0;
			}
			else if (c >= '0' && c <= '9' && !(digits > 0 && value == 0)) {
				value = value * 10 + (c - '0');
				if (value > 255 || ++digits > 3) {
					return false;
				}
			}
			else {
				return false;
			}
		}
		if (digits == 0 || octet != 3) {
			return false;
		}
		bytes[at + 3] = (byte) value;
		return true;
	}

	/** The 16 bytes of an IPv6 literal, or {@code null}. */
	private static byte[] ipv6(String text) {
		byte[] bytes = new byte[16];
		int groups = 0;
		int gap = -1;
		int i = 0;
		if (text.startsWith("::")) {
			gap = 0;
			i = 2;
		}
		while (i < text.length()) {
			int start = i;
			int value = 0;
			for (int digit; i < text.length() && (digit = Character.digit(text.charAt(i), 16)) >= 0
					&& text.charAt(i) < 128; i++) {
				value = (value << 4) | digit;
			}
			if (i < text.length() && text.charAt(i) == '.') {
				// a dotted IPv4 tail: the last two groups
				if (groups > 6 || !ipv4(text, start, bytes, groups * 2)) {
					return null;
				}
				groups += 2;
				break;
			}
			if (i == start || i - start > 4 || groups == 8) {
				return null;
			}
			bytes[groups * 2] = (byte) (value >> 8);
			bytes[groups * 2 + 1] = (byte) value;
			groups++;
			if (i == text.length()) {
				break;
			}
			if (text.charAt(i) != ':' || ++i == text.length()) {
				return null;
			}
			if (text.charAt(i) == ':') {
				if (gap >= 0) {
					return null;
				}
				gap = groups;
				i++;
			}
		}
		if (gap < 0) {
			return (groups == 8) ? bytes : null;
		}
		if (groups > 7) {
			// :: stands for at least one group of zeros
			return null;
		}
		int shift = (8 - groups) * 2;
		System.arraycopy(bytes, gap * 2, bytes, gap * 2 + shift, (groups - gap) * 2);
		Arrays.fill(bytes, gap * 2, gap * 2 + shift, (byte) 0);
		return bytes;
	}

	private static boolean mappedIpv4(byte[] bytes) {
		if (bytes.length != 16 || bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
			return false;
		}
		for (int i = 0; i < 10; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return true;
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
