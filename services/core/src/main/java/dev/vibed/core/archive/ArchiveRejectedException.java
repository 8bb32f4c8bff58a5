package dev.vibed.core.archive;

/**
 * A hostile or broken archive. {@code code} is stable (clients match on it); {@code entry} names the offending
 * entry when there is one.
 */
public class ArchiveRejectedException extends Exception {
    public static final String NOT_GZIP = "archive_not_gzip";
    public static final String CORRUPT = "archive_corrupt";
    public static final String TOO_LARGE = "archive_too_large";
    public static final String TOO_MANY_ENTRIES = "archive_too_many_entries";
    public static final String PATH_TOO_LONG = "archive_path_too_long";
    public static final String ABSOLUTE_PATH = "archive_absolute_path";
    public static final String PATH_TRAVERSAL = "archive_path_traversal";
    public static final String LINK_ESCAPE = "archive_link_escape";
    public static final String HARD_LINK = "archive_hard_link";
    public static final String SPECIAL_FILE = "archive_special_file";
    public static final String SETUID = "archive_setuid";

    private final String code;
    private final String entry;

    public ArchiveRejectedException(String code, String message, String entry) {
        super(message);
        this.code = code;
        this.entry = entry;
    }

    public String code() {
        return code;
    }

    /** The offending entry's name as it appears in the archive, or null. */
    public String entry() {
        return entry;
    }
}
