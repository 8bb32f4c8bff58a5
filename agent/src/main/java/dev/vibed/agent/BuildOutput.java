package dev.vibed.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Where build tools leave a static site; the same folders, in the same order, as the platform's classifier. */
final class BuildOutput {
    static final List<String> FOLDERS = List.of("dist", "build", "out", "public");
    static final String NOTHING_TO_SERVE = "build produced no dist/, build/, out/ or public/ with an index.html";

    private BuildOutput() {
    }

    /** The first output folder of {@code projectDir} with an index.html that stays inside the project. */
    static Optional<Path> find(Path projectDir) {
        return FOLDERS.stream().filter(f -> EntrypointDetector.isFile(projectDir, f + "/index.html"))
                .map(projectDir::resolve).findFirst();
    }
}
