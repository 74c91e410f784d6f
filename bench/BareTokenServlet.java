import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * The floor for GET /token in bench/run: a bare embedded Tomcat (the one in the broker's
 * jar) with one servlet at /token/main that checks the bearer key as the broker does
 * (SHA-256 of the presented key, constant-time compare with the configured digest; 401
 * otherwise) and writes a fixed body. No Spring, no security filter chain, no logging.
 *
 * Usage: java -cp tomcat-embed-core.jar:jakarta.annotation-api.jar:target/bench/classes BareTokenServlet PORT KEY_SHA256_HEX BODY_FILE BASE_DIR
 */
public final class BareTokenServlet extends HttpServlet {

	private final byte[] keyDigest;

	private final byte[] body;

	private BareTokenServlet(byte[] keyDigest, byte[] body) {
		this.keyDigest = keyDigest;
		this.body = body;
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String authorization = request.getHeader("Authorization");
		if (authorization == null || !authorization.startsWith("Bearer ")
				|| !MessageDigest.isEqual(sha256(authorization.substring(7)), this.keyDigest)) {
			response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
			return;
		}
		response.setContentType("application/json");
		response.setHeader("Cache-Control", "no-store");
		response.setContentLength(this.body.length);
		response.getOutputStream().write(this.body);
	}

	private static byte[] sha256(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static void main(String[] args) throws Exception {
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(args[3]);
		tomcat.setPort(Integer.parseInt(args[0]));
		Connector connector = tomcat.getConnector(); // HTTP/1.1 NIO, 200 threads, as in Spring Boot
		connector.setProperty("address", "127.0.0.1");
		// the broker's server.tomcat.* settings (src/main/resources/application.yml)
		connector.setProperty("connectionTimeout", "5000");
		connector.setProperty("keepAliveTimeout", "20000");
		connector.setProperty("maxKeepAliveRequests", "10000");
		connector.setProperty("maxConnections", "8192");
		connector.setProperty("acceptCount", "200");
		Context context = tomcat.addContext("", null);
		Tomcat.addServlet(context, "token",
				new BareTokenServlet(HexFormat.of().parseHex(args[1]), Files.readAllBytes(Path.of(args[2]))));
		context.addServletMappingDecoded("/token/main", "token");
		tomcat.start();
		tomcat.getServer().await();
	}

}
