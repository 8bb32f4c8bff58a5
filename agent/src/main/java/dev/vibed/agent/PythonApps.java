package dev.vibed.agent;

import dev.vibed.core.classify.PythonSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells how a Python app wants to be run. Assistants mostly write a FastAPI or Flask module that only defines
 * {@code app = FastAPI()} and leaves the server to the platform (as Render and Railway do), so such a module is
 * started with uvicorn (ASGI) or gunicorn (WSGI) bound to $PORT; a module with a runner of its own (a
 * {@code __main__} block, {@code serve_forever}) is run as the script it is. The reading of the source is
 * core's {@link PythonSource}, the same the classifier's reason comes from.
 */
final class PythonApps {
    static final List<String> APP_FILES = List.of("app.py", "main.py", "server.py", "asgi.py", "wsgi.py");

    /** What runs the app: a script of its own, or a server around the application object {@code module:name}. */
    sealed interface Runner {
        record Script(String file) implements Runner {
        }

        record Asgi(String module, String name, String framework) implements Runner {
        }

        record Wsgi(String module, String name, String framework) implements Runner {
        }
    }

    private static final Pattern PROJECT_DEPENDENCIES = Pattern.compile(
            "(?s)\\[project\\].*?\\ndependencies\\s*=\\s*\\[(.*?)\\]");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"|'([^']+)'");

    private PythonApps() {
    }

    /** The runner for the app in {@code dir}; empty when there is no Python app file at all. */
    static Optional<Runner> detect(Path dir) throws IOException {
        for (String file : APP_FILES) {
            if (!EntrypointDetector.isFile(dir, file)) {
                continue;
            }
            String text = Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
            String module = file.substring(0, file.length() - ".py".length());
            if (PythonSource.hasOwnRunner(text)) {
                return Optional.of(new Runner.Script(file));
            }
            Optional<PythonSource.AppObject> asgi = PythonSource.asgiApp(text);
            if (asgi.isPresent()) {
                return Optional.of(new Runner.Asgi(module, asgi.get().name(), asgi.get().framework()));
            }
            Optional<PythonSource.AppObject> wsgi = PythonSource.wsgiApp(text);
            if (wsgi.isPresent()) {
                return Optional.of(new Runner.Wsgi(module, wsgi.get().name(), wsgi.get().framework()));
            }
            if (!file.equals("asgi.py") && !file.equals("wsgi.py")) {
                return Optional.of(new Runner.Script(file));
            }
        }
        return django(dir);
    }

    /** A Django project: manage.py beside {@code <project>/wsgi.py}. */
    private static Optional<Runner> django(Path dir) throws IOException {
        if (!EntrypointDetector.isFile(dir, "manage.py")) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (!Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS) || !name.matches("[A-Za-z_]\\w*")
                        || !EntrypointDetector.isFile(dir, name + "/wsgi.py")) {
                    continue;
                }
                String text = Files.readString(child.resolve("wsgi.py"), StandardCharsets.UTF_8);
                if (PythonSource.isDjangoWsgi(text)) {
                    return Optional.of(new Runner.Wsgi(name + ".wsgi", "application", "Django"));
                }
            }
        }
        return Optional.empty();
    }

    /** The requirement strings of pyproject.toml's {@code [project] dependencies}, without building the project. */
    static List<String> pyprojectDependencies(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = PROJECT_DEPENDENCIES.matcher(Files.readString(file, StandardCharsets.UTF_8));
        if (m.find()) {
            Matcher q = QUOTED.matcher(m.group(1));
            while (q.find()) {
                out.add(q.group(1) != null ? q.group(1) : q.group(2));
            }
        }
        return out;
    }
}
