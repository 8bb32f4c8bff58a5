package dev.vibed.cli.pack;

import org.eclipse.jgit.ignore.IgnoreNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The ignore rules in force in one directory of the folder being packed, read the way git reads them: this
 * directory's {@code .gitignore} then its {@code .vibedignore} (so a {@code .vibedignore} can re-include with
 * {@code !}), and, if no rule here decides, the parent directory's rules. Matching is JGit's, so the patterns
 * behave exactly as in git ({@code *}, {@code **}, {@code /} anchors, trailing {@code /} for directories).
 */
final class IgnoreRules {
    static final List<String> FILES = List.of(".gitignore", ".vibedignore");

    private final IgnoreRules parent;
    private final String dir;
    private final IgnoreNode node;

    private IgnoreRules(IgnoreRules parent, String dir, IgnoreNode node) {
        this.parent = parent;
        this.dir = dir;
        this.node = node;
    }

    static IgnoreRules none() {
        return new IgnoreRules(null, "", new IgnoreNode());
    }

    /**
     * The rules for directory {@code rel} (relative to the packed folder, "" for its root), whose files are read
     * from {@code absolute}. Ignore files that are links are not read: nothing outside the folder is opened.
     */
    IgnoreRules enter(String rel, Path absolute) throws IOException {
        IgnoreNode here = new IgnoreNode();
        boolean any = false;
        for (String name : FILES) {
            Path f = absolute.resolve(name);
            if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                    here.parse(rel.isEmpty() ? name : rel + "/" + name, in);
                    any = true;
                }
            }
        }
        return any ? new IgnoreRules(this, rel, here) : this;
    }

    /** Whether {@code rel} (a path relative to the packed folder) is ignored. */
    boolean ignored(String rel, boolean directory) {
        for (IgnoreRules r = this; r != null; r = r.parent) {
            String local = r.dir.isEmpty() ? rel : rel.substring(r.dir.length() + 1);
            Boolean decided = r.node.checkIgnored(local, directory);
            if (decided != null) {
                return decided;
            }
        }
        return false;
    }
}
