package dev.vibed.core.classify;

import java.util.regex.Pattern;

/**
 * Recognises a Cloudflare-style module worker by its text: an ES-module default export that carries a
 * {@code fetch} handler, and no sign of a Node server (which would also mention fetch, but listens itself).
 * A heuristic on purpose: the classifier must stay fast and never execute anything.
 */
final class ModuleWorkerSource {
    /** {@code export default { async fetch(req, env) {...} }}, {@code export default { fetch }}, {@code { fetch: h }}. */
    private static final Pattern DEFAULT_OBJECT_WITH_FETCH =
            Pattern.compile("export\\s+default\\s*\\{[\\s\\S]*?\\b(?:async\\s+)?fetch\\s*[(:,}]");
    /** {@code const worker = { async fetch(request, env) {...} }; export default worker;} */
    private static final Pattern DEFAULT_IDENTIFIER = Pattern.compile("export\\s+default\\s+[A-Za-z_$][\\w$]*\\s*(?:;|$)", Pattern.MULTILINE);
    private static final Pattern FETCH_HANDLER = Pattern.compile("\\b(?:async\\s+)?fetch\\s*(?:\\([^)]*\\)\\s*\\{|:\\s*(?:async\\b|function\\b|\\())");
    private static final Pattern NODE_SERVER = Pattern.compile("\\bcreateServer\\s*\\(|\\blisten\\s*\\(");

    private ModuleWorkerSource() {
    }

    static boolean isModuleWorker(String source) {
        if (NODE_SERVER.matcher(source).find()) {
            return false;
        }
        return DEFAULT_OBJECT_WITH_FETCH.matcher(source).find()
                || DEFAULT_IDENTIFIER.matcher(source).find() && FETCH_HANDLER.matcher(source).find();
    }
}
