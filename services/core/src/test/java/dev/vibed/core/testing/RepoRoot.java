package dev.vibed.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root: the first folder up from the working directory whose pom is {@code vibed-parent} itself. */
public final class RepoRoot {
    private RepoRoot() {
    }

    public static Path find() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path pom = dir.resolve("pom.xml");
            try {
                // Module poms name vibed-parent too, inside <parent>; only the root's own artifactId counts.
                String own = Files.isRegularFile(pom)
                        ? Files.readString(pom).replaceAll("(?s)<parent>.*?</parent>", "") : "";
                if (own.contains("<artifactId>vibed-parent</artifactId>")) {
                    return dir;
                }
            } catch (IOException e) {
                // Unreadable pom: keep walking up.
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no vibed-parent pom.xml above " + Path.of("").toAbsolutePath());
    }
}
