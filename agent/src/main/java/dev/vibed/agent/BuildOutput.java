package dev.vibed.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where build tools leave a static site: the folder the project's Vite config names ({@code build.outDir}),
 * else the same folders, in the same order, as the platform's classifier.
 */
final class BuildOutput {
    static final List<String> FOLDERS = List.of("dist", "build", "out", "public");
    static final List<String> VITE_CONFIGS = List.of("vite.config.js", "vite.config.mjs", "vite.config.ts",
            "vite.config.mts", "vite.config.cjs", "vite.config.cts");
    static final String NOTHING_TO_SERVE = "build produced no dist/, build/, out/ or public/ with an index.html";
    private static final Pattern OUT_DIR = Pattern.compile("outDir\\s*:\\s*['\"`]([^'\"`]+)['\"`]");
    /** A page that loads modules from the source tree: the input of a bundler, not a site. */
    private static final Pattern SOURCE_SCRIPT = Pattern.compile("<script[^>]*\\ssrc=[\"']?(\\.?/)?src/",
            Pattern.CASE_INSENSITIVE);

    private BuildOutput() {
    }

    /** The first output folder of {@code projectDir} with an index.html that stays inside the project. */
    static Optional<Path> find(Path projectDir) {
        List<String> folders = new ArrayList<>(configured(projectDir).stream().toList());
        folders.addAll(FOLDERS);
        return folders.stream().filter(f -> EntrypointDetector.isFile(projectDir, f + "/index.html"))
                .map(projectDir::resolve).findFirst();
    }

    /**
     * The project folder itself, when a build wrote nothing elsewhere and its own index.html is a finished page
     * (a build script that only, say, minifies in place); never a page that loads {@code /src/} modules.
     */
    static Optional<Path> siteAtRoot(Path projectDir) {
        if (!EntrypointDetector.isFile(projectDir, "index.html")) {
            return Optional.empty();
        }
        try {
            String html = Files.readString(projectDir.resolve("index.html"), StandardCharsets.UTF_8);
            return SOURCE_SCRIPT.matcher(html).find() ? Optional.empty() : Optional.of(projectDir);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code build.outDir} of a Vite config, when it is a plain relative path. */
    static Optional<String> configured(Path projectDir) {
        for (String config : VITE_CONFIGS) {
            if (!EntrypointDetector.isFile(projectDir, config)) {
                continue;
            }
            try {
                Matcher m = OUT_DIR.matcher(Files.readString(projectDir.resolve(config), StandardCharsets.UTF_8));
                if (m.find()) {
                    String dir = EntrypointDetector.relative(m.group(1));
                    return Optional.ofNullable(dir).map(d -> d.endsWith("/") ? d.substring(0, d.length() - 1) : d)
                            .filter(d -> !d.isEmpty());
                }
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
