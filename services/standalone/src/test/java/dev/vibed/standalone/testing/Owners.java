package dev.vibed.standalone.testing;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every auth mode must deliver on a real standalone: each user sees and acts on only their own apps, another
 * owner's app looks exactly like one that does not exist, and the admin sees everyone's.
 */
public final class Owners {
    /** A well-formed app id that no app has. */
    private static final String GHOST = "zzzzzzzzzzzz";

    private Owners() {
    }

    /**
     * Deploys a static site named {@code site} as each user (the same name: ids are per owner) and checks who sees what.
     *
     * @param alice     a client sending one user's credentials
     * @param aliceName the subject they map to (the owner of the apps alice deploys)
     * @param bob       a client sending another user's credentials
     * @param bobName   the subject they map to
     * @param admin     a client sending an admin's credentials
     */
    public static void assertEachSeesOnlyTheirOwn(Http alice, String aliceName, Http bob, String bobName, Http admin) {
        String aliceApp = deploy(alice, aliceName, "alice's page");
        String bobApp = deploy(bob, bobName, "bob's page");
        assertThat(aliceApp).isNotEqualTo(bobApp);

        assertThat(ids(alice)).contains(aliceApp).doesNotContain(bobApp);
        assertThat(ids(bob)).contains(bobApp).doesNotContain(aliceApp);
        assertThat(ids(admin)).contains(aliceApp, bobApp);

        for (String path : List.of("/v1/apps/%s", "/v1/apps/%s/versions", "/v1/apps/%s/logs")) {
            Http.Response foreign = bob.get(path.formatted(aliceApp));
            Http.Response ghost = bob.get(path.formatted(GHOST));
            assertThat(foreign.status()).as(path + " of another owner's app").isEqualTo(404);
            assertThat(foreign.body().replace(aliceApp, GHOST)).as("same body as an app that does not exist")
                    .isEqualTo(ghost.body());
        }
        assertThat(bob.raw("DELETE", "/v1/apps/" + aliceApp, null, null).status()).isEqualTo(404);
        assertThat(bob.json("PUT", "/v1/apps/" + aliceApp + "/env", "{\"env\":{\"X\":\"1\"}}").status()).isEqualTo(404);

        Http.Response own = alice.get("/v1/apps/" + aliceApp);
        assertThat(own.status()).as("bob's attempts changed nothing").isEqualTo(200);
        assertThat(own.json().getInt("active_version")).isEqualTo(1);
        Http.Response seenByAdmin = admin.get("/v1/apps/" + bobApp);
        assertThat(seenByAdmin.status()).isEqualTo(200);
        assertThat(seenByAdmin.json().getString("owner")).isEqualTo(bobName);
    }

    private static String deploy(Http as, String owner, String marker) {
        Http.Response res = as.deploy(Apps.staticSite(marker), "{\"name\":\"site\"}");
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        JsonObject body = res.json();
        String id = body.getString("app_id");
        assertThat(as.get("/v1/apps/" + id).json().getString("owner")).isEqualTo(owner);
        return id;
    }

    private static List<String> ids(Http as) {
        Http.Response res = as.get("/v1/apps");
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        return res.json().getJsonArray("apps").getValuesAs(JsonObject.class).stream()
                .map(a -> a.getJsonString("app_id")).map(JsonString::getString).toList();
    }
}
