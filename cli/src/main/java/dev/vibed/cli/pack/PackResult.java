package dev.vibed.cli.pack;

import java.nio.file.Path;
import java.util.List;

/**
 * What packing a folder produced and left out, so the CLI can say it plainly before uploading.
 *
 * @param archive     the .tar.gz written (a private temporary file; the caller deletes it)
 * @param sizeBytes   its size
 * @param files       regular files packed
 * @param bytesIn     their total size before compression
 * @param skipped     what was left out, each with the reason
 * @param largest     the largest files packed, biggest first (to suggest what to ignore when too large)
 */
public record PackResult(Path archive, long sizeBytes, int files, long bytesIn, List<Skipped> skipped,
                         List<Packed> largest) {

    public enum Reason {
        ALWAYS("never packed"), NODE_MODULES("node_modules, use --include-node-modules to pack it"),
        IGNORED("ignored by .gitignore/.vibedignore"), LINK_OUTSIDE("link pointing outside the folder"),
        BROKEN_LINK("broken link"), SPECIAL("not a regular file");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One path left out; directories end with {@code /}. */
    public record Skipped(String path, Reason reason) {
    }

    public record Packed(String path, long sizeBytes) {
    }
}
