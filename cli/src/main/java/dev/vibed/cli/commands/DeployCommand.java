package dev.vibed.cli.commands;

import dev.vibed.cli.CliError;
import dev.vibed.cli.http.Answer;
import dev.vibed.cli.http.ApiClient;
import dev.vibed.cli.http.Errors;
import dev.vibed.cli.pack.PackResult;
import dev.vibed.cli.pack.SourcePacker;
import dev.vibed.cli.term.ProgressBar;
import dev.vibed.cli.term.Sizes;
import dev.vibed.cli.term.StatusLine;
import dev.vibed.cli.term.Terminal;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code vibed deploy}: packs the folder (or takes a ready .tar.gz), says what it left out and how big the archive
 * is, refuses before uploading when it is over the server's limit, uploads with a progress bar, follows the live
 * phase until the URL serves and prints the URL. Running it again from the same folder updates the same app,
 * because the name defaults to the folder's name.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Deploy a folder (or a .tar.gz) and print its URL.",
                "Honours .gitignore and .vibedignore; never packs .git, node_modules (unless asked), or anything "
                        + "outside the folder. Deploying again from the same folder updates the same app."},
        footer = {"", "Exit codes: 0 serving, 1 the deploy failed, 3 server unreachable, 4 unauthorised, 6 quota, 7 too large."})
public final class DeployCommand implements Callable<Integer> {
    private static final int MAX_LISTED = 8;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR|FILE.tar.gz", description = "what to deploy (default: the current folder)")
    Path source;

    @Option(names = "--name", paramLabel = "NAME", description = "app name (default: the folder's name, as a lowercase slug)")
    String name;

    @Option(names = "--env", paramLabel = "K=V", description = "env entry for the app (repeatable); a redeploy keeps the app's other entries")
    List<String> env = List.of();

    @Option(names = "--env-file", paramLabel = "FILE", description = "env entries from a file of K=V lines (# comments)")
    Path envFile;

    @Option(names = "--ttl", paramLabel = "DURATION", description = "expire after this long: 30m, 24h, 7d, or 0 for never (server default: 24h)")
    String ttl;

    @Option(names = "--no-wait", description = "return once the server has answered; do not follow the start-up")
    boolean noWait;

    @Option(names = "--include-node-modules", description = "pack node_modules too (left out by default)")
    boolean includeNodeModules;

    @Option(names = {"-q", "--quiet"}, description = "print only the URL (on stdout); errors still go to stderr")
    boolean quiet;

    @Option(names = "--json", description = "print the server's deploy answer as JSON instead of the URL")
    boolean json;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "how long to wait for the URL to serve (default: 5m)")
    String timeout;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws IOException {
        Terminal term = Terminal.detect(quiet || json);
        Path input = (source == null ? Path.of("") : source).toAbsolutePath().normalize();
        if (!Files.exists(input)) {
            throw new CliError(CliError.USAGE, input + " does not exist; give a folder or a .tar.gz");
        }
        boolean packed = Files.isDirectory(input);
        String fileName = input.getFileName() == null ? "app" : input.getFileName().toString();
        String appName = name != null ? name : Names.slug(packed ? fileName : fileName.replaceFirst("(?i)(\\.tar\\.gz|\\.tgz)$", ""));
        if (appName.isEmpty()) {
            throw new CliError(CliError.USAGE, "cannot make an app name from '" + fileName + "'; give one with --name");
        }
        Map<String, String> envs = EnvEntries.read(envFile, env);
        Duration wait = timeout == null ? Rollouts.DEFAULT_TIMEOUT : Durations.parse(timeout, "--timeout");

        ApiClient api = connection.client();
        long limit = sourceLimit(api);

        Path archive;
        if (packed) {
            PackResult result;
            try {
                result = new SourcePacker(includeNodeModules).pack(input);
            } catch (UncheckedIOException | IOException e) {
                throw new CliError(CliError.FAILED, "cannot pack " + input + ": " + e.getMessage());
            }
            archive = result.archive();
            report(term, input, result);
            if (limit > 0 && result.sizeBytes() > limit) {
                Files.deleteIfExists(archive);
                throw new CliError(CliError.TOO_LARGE, "too large: the archive is " + Sizes.human(result.sizeBytes())
                        + ", over this server's limit of " + Sizes.human(limit) + "; nothing was uploaded. Leave big files out"
                        + " with .vibedignore (largest: " + result.largest().stream()
                        .map(p -> p.path() + " " + Sizes.human(p.sizeBytes())).collect(Collectors.joining(", ")) + ")");
            }
        } else {
            archive = input;
            long size = Files.size(input);
            term.info("uploading " + input.getFileName() + " (" + Sizes.human(size) + ") as " + appName);
            if (limit > 0 && size > limit) {
                throw new CliError(CliError.TOO_LARGE, "too large: " + input.getFileName() + " is " + Sizes.human(size)
                        + ", over this server's limit of " + Sizes.human(limit) + "; nothing was uploaded");
            }
        }
        try {
            return deploy(api, term, archive, appName, envs, wait);
        } finally {
            if (packed) {
                Files.deleteIfExists(archive);
            }
        }
    }

    private int deploy(ApiClient api, Terminal term, Path archive, String appName, Map<String, String> envs, Duration wait)
            throws IOException {
        StatusLine line = term.statusLine();
        // The watch is open before the upload, so the phase shows while the server is still starting the app.
        LiveWatch watch = noWait ? null : LiveWatch.open(api, null, line);
        try {
            ProgressBar bar = term.progress("uploading", Files.size(archive));
            Answer answer = api.deploy(archive, metadata(appName, envs), bar, () -> {
                bar.finish();
                if (watch != null) {
                    watch.showChanges(a -> appName.equals(a.getString("name", "")));
                }
            });
            bar.finish();
            JsonObject body = answer.json();
            if (answer.status() == 422 && "deploy_failed".equals(body.getString("code", ""))) {
                line.end();
                if (json) {
                    System.out.println(body);
                }
                throw Rollouts.deployFailed(appName, Apps.integer(body, "version"), body.getString("message", null),
                        body.getString("last_crash_log", null));
            }
            if (answer.status() >= 400) {
                line.end();
                throw Errors.of(api.server(), answer);
            }
            String appId = body.getString("app_id");
            int version = Apps.integer(body, "version");
            if (answer.status() == 202 && watch != null) {
                term.info("  " + appName + ": accepted, starting (version " + version + ")");
                Rollouts.await(watch, line, appId, version, wait);
            } else {
                if (watch != null) {
                    watch.show(a -> appId.equals(a.getString("app_id", "")));
                }
                line.end();
            }
            String url = body.getString("url", "");
            if (json) {
                System.out.println(body);
            } else {
                String what = body.getBoolean("created", false) ? "created" : "updated";
                term.info(what + " " + appName + " (" + appId + ") version " + version + ": "
                        + body.getString("template", "?") + " app, rule " + body.getString("rule", "?")
                        + (answer.status() == 202 && noWait ? "; still starting: `vibed status " + appName + "`" : ""));
                System.out.println(url);
            }
            return 0;
        } finally {
            if (watch != null) {
                watch.close();
            }
        }
    }

    private String metadata(String appName, Map<String, String> envs) {
        // keep_env: a redeploy keeps what `vibed env` set; --env entries go on top.
        JsonObjectBuilder b = Json.createObjectBuilder().add("name", appName).add("keep_env", true);
        if (!envs.isEmpty()) {
            JsonObjectBuilder e = Json.createObjectBuilder();
            envs.forEach(e::add);
            b.add("env", e);
        }
        if (ttl != null) {
            b.add("ttl", ttl);
        }
        return b.build().toString();
    }

    /** The server's archive limit, 0 when the server does not publish it (it still enforces it with a 413). */
    private static long sourceLimit(ApiClient api) {
        Answer a = api.call("GET", "/v1/limits", null);
        if (a.status() == 404) {
            return 0;
        }
        if (a.status() >= 400) {
            throw Errors.of(api.server(), a);
        }
        return a.json().getJsonNumber("max_source_bytes").longValue();
    }

    private static void report(Terminal term, Path input, PackResult r) {
        term.info("packed " + input.getFileName() + ": " + r.files() + " file" + (r.files() == 1 ? "" : "s") + ", "
                + Sizes.human(r.bytesIn()) + " -> " + Sizes.human(r.sizeBytes()) + " archive");
        if (r.skipped().isEmpty()) {
            return;
        }
        Map<PackResult.Reason, List<String>> byReason = new LinkedHashMap<>();
        r.skipped().forEach(s -> byReason.computeIfAbsent(s.reason(), k -> new java.util.ArrayList<>()).add(s.path()));
        byReason.forEach((reason, paths) -> term.info("  skipped (" + reason.text() + "): "
                + String.join(", ", paths.subList(0, Math.min(MAX_LISTED, paths.size())))
                + (paths.size() > MAX_LISTED ? " and " + (paths.size() - MAX_LISTED) + " more" : "")));
    }

    /** App names as the server accepts them: lowercase letters, digits and dashes, at most 63. */
    static final class Names {
        private Names() {
        }

        static String slug(String raw) {
            String s = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
            if (s.length() > 63) {
                s = s.substring(0, 63).replaceAll("-+$", "");
            }
            return s;
        }
    }
}
