package dev.vibed.core.classify;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Python module the way the platform needs to: does it define an ASGI or WSGI application object
 * ({@code app = FastAPI()}, {@code app = Flask(__name__)}), and does it run a server of its own? One reading for
 * the classifier and the agent, so the reason a user sees is what really runs.
 */
public final class PythonSource {
    /** An application object: the variable that holds it and the framework that made it. */
    public record AppObject(String name, String framework) {
    }

    private static final Pattern OWN_RUNNER = Pattern.compile(
            "__name__\\s*==\\s*['\"]__main__['\"]|serve_forever\\s*\\(|\\.run_forever\\s*\\(");
    private static final Pattern ASGI = Pattern.compile(
            "(?m)^([A-Za-z_]\\w*)\\s*(?::\\s*[\\w.]+\\s*)?=\\s*(?:fastapi\\.|starlette\\.applications\\.)?(FastAPI|Starlette)\\s*\\(");
    private static final Pattern WSGI = Pattern.compile(
            "(?m)^([A-Za-z_]\\w*)\\s*(?::\\s*[\\w.]+\\s*)?=\\s*(?:flask\\.)?(Flask)\\s*\\(");
    private static final Pattern DJANGO_WSGI = Pattern.compile("(?m)^application\\s*=\\s*get_wsgi_application\\s*\\(");

    private PythonSource() {
    }

    /** A {@code __main__} block or a server loop: the module starts its own server and is run as a script. */
    public static boolean hasOwnRunner(String source) {
        return OWN_RUNNER.matcher(source).find();
    }

    /** The FastAPI or Starlette application the module defines at top level. */
    public static Optional<AppObject> asgiApp(String source) {
        return first(ASGI, source);
    }

    /** The Flask application the module defines at top level. */
    public static Optional<AppObject> wsgiApp(String source) {
        return first(WSGI, source);
    }

    /** A Django project's {@code wsgi.py}: {@code application = get_wsgi_application()}. */
    public static boolean isDjangoWsgi(String source) {
        return DJANGO_WSGI.matcher(source).find();
    }

    private static Optional<AppObject> first(Pattern p, String source) {
        Matcher m = p.matcher(source);
        return m.find() ? Optional.of(new AppObject(m.group(1), m.group(2))) : Optional.empty();
    }
}
