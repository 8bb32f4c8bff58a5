package dev.vibed.core.application;

/**
 * Which apps a caller lists: optionally one phase and a search term (matched against name and id), one page at a
 * time. Null fields take the defaults the facade applies for every front end.
 *
 * @param cursor the id of the last app of the previous page
 */
public record AppQuery(String phase, String search, String cursor, Integer limit) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public static AppQuery all() {
        return new AppQuery(null, null, null, null);
    }
}
