package dev.vibed.core.archive;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class EntryPathsTest {

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "index.html|index.html",
            "./index.html|index.html",
            "././a//b/./c.txt|a/b/c.txt",
            "assets/|assets",
            "./|''",
            ".|''",
            "a\\b.txt|a\\b.txt",
            "C:notes.txt|C:notes.txt",
            "...|...",
            "a/..b/c..|a/..b/c.."})
    void normalises(String raw, String expected) throws ArchiveRejectedException {
        assertThat(EntryPaths.normalize(raw, 255)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}'' is refused with {1}")
    @CsvSource(delimiter = '|', value = {
            "/etc/passwd|archive_absolute_path",
            "//server/share|archive_absolute_path",
            "\\\\server\\share|archive_absolute_path",
            "C:\\Windows|archive_absolute_path",
            "c:/Windows|archive_absolute_path",
            "D:|archive_absolute_path",
            "..|archive_path_traversal",
            "../x|archive_path_traversal",
            "a/../../x|archive_path_traversal",
            "a/b/..|archive_path_traversal",
            "a\\..\\x|archive_path_traversal"})
    void refuses(String raw, String code) {
        ArchiveRejectedException e = catchThrowableOfType(ArchiveRejectedException.class, () -> EntryPaths.normalize(raw, 255));

        assertThat(e.code()).isEqualTo(code);
        assertThat(e.entry()).isEqualTo(raw);
    }

    @ParameterizedTest(name = "{0} -> {1} is allowed")
    @CsvSource(delimiter = '|', value = {
            "a|b",
            "a|./b",
            "a/b|../c",
            "a/b/c|../../d/e",
            "a/b|..",
            "a|.",
            "node_modules/.bin/vite|../vite/bin/vite.js"})
    void allowsLinksThatStayInside(String link, String target) {
        assertThatCode(() -> EntryPaths.checkLinkTarget(link, target, link, 255)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0} -> {1} is refused")
    @CsvSource(delimiter = '|', value = {
            "a|/etc/passwd",
            "a|C:\\Windows",
            "a|..",
            "a/b|../..",
            "a/b|../../x",
            "a|b/../..",
            "a|b/../c",
            "a|''",
            "a/b|..\\..\\x"})
    void refusesLinksThatLeaveOrCannotBeCheckedLexically(String link, String target) {
        ArchiveRejectedException e = catchThrowableOfType(ArchiveRejectedException.class,
                () -> EntryPaths.checkLinkTarget(link, target, link, 255));

        assertThat(e.code()).isEqualTo(ArchiveRejectedException.LINK_ESCAPE);
        assertThat(e.entry()).isEqualTo(link);
    }
}
