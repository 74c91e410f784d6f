package io.tokenbroker.api;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.apache.coyote.Adapter;
import org.apache.coyote.Processor;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Tomcat's HTTP/1.1 protocol with a deadline on the request line and headers. Tomcat's
 * {@code connectionTimeout} is a silence between two reads: a client sending one header
 * byte every few seconds would hold its connection as long as it liked. Here, once a
 * request's first byte has arrived, the read timeout is what is left of
 * {@code connectionTimeout} since then, so the request line and every header must arrive
 * within it; the connection is closed at the deadline. A request whose headers are in is
 * not touched (its body keeps Tomcat's own timeouts), and nothing changes between
 * requests of a kept-alive connection.
 */
public class HeaderDeadlineProtocol extends Http11NioProtocol {

	@Override
	protected Processor createProcessor() {
		return new DeadlineProcessor(this, getAdapter());
	}

	private static final class DeadlineProcessor extends Http11Processor {

		private final AbstractHttp11Protocol<?> protocol;

		DeadlineProcessor(AbstractHttp11Protocol<?> protocol, Adapter adapter) {
			super(protocol, adapter);
			this.protocol = protocol;
		}

		@Override
		public SocketState service(SocketWrapperBase<?> socket) throws IOException {
			SocketState state = super.service(socket);
			long started = getRequest().getStartTimeNanos();
			int timeout = this.protocol.getConnectionTimeout();
			// LONG without async processing: the request line or headers are incomplete
			if (state != SocketState.LONG || isAsync() || started < 0 || timeout <= 0) {
				return state;
			}
			long left = timeout - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
			if (left <= 0) {
				return SocketState.CLOSED;
			}
			socket.setReadTimeout(left);
			return state;
		}

	}

}
