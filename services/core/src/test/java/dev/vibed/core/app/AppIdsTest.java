package dev.vibed.core.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AppIdsTest {
    @Test
    void idIsStablePerOwnerAndNameAndADnsLabel() {
        String id = AppIds.appId("alice", "blog");
        assertThat(id).hasSize(12).matches("[a-z2-7]{12}");
        assertThat(AppIds.appId("alice", "blog")).isEqualTo(id);
        assertThat(AppIds.appId("bob", "blog")).isNotEqualTo(id);
        assertThat(AppIds.appId("alice", "blog2")).isNotEqualTo(id);
        assertThat(AppIds.validId(id)).isTrue();
    }

    @Test
    void namesAreSlugs() {
        assertThat(AppIds.validName("my-site-2")).isTrue();
        assertThat(AppIds.validName("a")).isTrue();
        assertThat(AppIds.validName("-x")).isFalse();
        assertThat(AppIds.validName("x-")).isFalse();
        assertThat(AppIds.validName("Upper")).isFalse();
        assertThat(AppIds.validName("a".repeat(64))).isFalse();
        assertThat(AppIds.validName("../x")).isFalse();
    }

    @Test
    void claimKeysBelongToTheirApp() {
        assertThat(AppIds.claimKey("abc", 3)).isEqualTo("abc-v3");
        assertThat(AppIds.claimBelongsTo("abc-v3", "abc")).isTrue();
        assertThat(AppIds.claimBelongsTo("abcd-v3", "abc")).isFalse();
    }

    @Test
    void publicUrlsMapHostsBothWays() {
        PublicUrls urls = new PublicUrls("http", "localhost", 8080);
        assertThat(urls.url("abc")).isEqualTo("http://abc.localhost:8080/");
        assertThat(urls.appIdFromHost("abc.localhost:8080")).isEqualTo("abc");
        assertThat(urls.appIdFromHost("ABC.LOCALHOST")).isEqualTo("abc");
        assertThat(urls.appIdFromHost("localhost:8080")).isNull();
        assertThat(urls.appIdFromHost("a.b.localhost")).isNull();
        assertThat(urls.appIdFromHost("abc.example.com")).isNull();
        assertThat(new PublicUrls("https", "apps.example.com", 443).url("x")).isEqualTo("https://x.apps.example.com/");
    }
}
