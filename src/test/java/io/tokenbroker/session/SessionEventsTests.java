package io.tokenbroker.session;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SessionEvents#all} tells every listener of every event: a method added to the
 * interface with a default body is not silently dropped by the composite.
 */
class SessionEventsTests {

	@Test
	void everyEventReachesEveryListener() throws Exception {
		List<String> heard = new ArrayList<>();
		SessionEvents all = SessionEvents.all(List.of(recording("first", heard), recording("second", heard)));

		List<String> events = new ArrayList<>();
		for (Method method : SessionEvents.class.getMethods()) {
			if (Modifier.isStatic(method.getModifiers())) {
				continue;
			}
			events.add(method.getName());
			method.invoke(all, arguments(method));
		}

		assertThat(events).isNotEmpty();
		for (String event : events) {
			assertThat(heard).as(event).contains("first " + event, "second " + event);
		}
	}

	private static SessionEvents recording(String name, List<String> heard) {
		return (SessionEvents) Proxy.newProxyInstance(SessionEvents.class.getClassLoader(),
				new Class<?>[] { SessionEvents.class }, (proxy, method, args) -> {
					if (method.getDeclaringClass() == Object.class) {
						return method.invoke(name, args);
					}
					heard.add(name + " " + method.getName());
					return null;
				});
	}

	private static Object[] arguments(Method method) {
		Class<?>[] types = method.getParameterTypes();
		Object[] arguments = new Object[types.length];
		for (int i = 0; i < types.length; i++) {
			if (types[i] == String.class) {
				arguments[i] = "main";
			}
			else if (types[i] == boolean.class) {
				arguments[i] = true;
			}
			else if (types[i].isEnum()) {
				arguments[i] = types[i].getEnumConstants()[0];
			}
		}
		return arguments;
	}

}
