package dev.vibed.cli;

import dev.vibed.cli.testing.Cli;
import dev.vibed.cli.testing.Projects;
import dev.vibed.cli.testing.TestServer;
import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Login, identity and the errors people meet first, as processes against a real standalone vibeD whose callers
 * are resolved from API keys ({@code Bearer KEY}), as in the apikey auth mode; plus install-cli and completion.
 */
class CliLoginTest {
    static final int MAX_APPS = 2;
    @TempDir
    static Path tmp;
    static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(tmp.resolve("data"), java.time.Duration.ofSeconds(10), MAX_APPS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void loginSavesTheKeyPrivatelyAndAnotherOwnersAppIsNotFound() throws IOException {
        Path aliceConfig = tmp.resolve("alice-config");
        Cli alice = new Cli(server.url(), aliceConfig).with("VIBED_URL", null);

        Cli.Result wrong = alice.runWithInput(tmp, "not-a-key\n", "login", "--server", server.url(), "--token-stdin");
        assertThat(wrong.exit()).as(wrong.describe()).isEqualTo(CliError.UNAUTHORISED);
        assertThat(wrong.err()).contains("did not accept this API key");
        assertThat(aliceConfig.resolve("vibed/config")).doesNotExist();

        Cli.Result login = alice.runWithInput(tmp, TestServer.ALICE_KEY + "\n", "login", "--server", server.url(), "--token-stdin");
        assertThat(login.exit()).as(login.describe()).isZero();
        assertThat(login.err()).contains("logged in to " + server.url() + " as alice");
        Path config = aliceConfig.resolve("vibed/config");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent()))).isEqualTo("rwx------");

        Cli.Result whoami = alice.run(tmp, "whoami", "--json");
        assertThat(whoami.exit()).as("the saved server and key are used: " + whoami.describe()).isZero();
        assertThat(Jsons.parseObject(whoami.out()).getString("subject")).isEqualTo("alice");

        Cli.Result deployed = alice.run(Projects.in(tmp, "private-notes").file("index.html", "<h1>alice only</h1>").dir(),
                "deploy", "-q");
        assertThat(deployed.exit()).as(deployed.describe()).isZero();
        JsonObject app = Jsons.parseObject(alice.run(tmp, "status", "private-notes", "--json").out());

        Cli bob = new Cli(server.url(), tmp.resolve("bob-config")).as(TestServer.BOB_KEY);
        for (String ref : new String[]{app.getString("app_id"), "private-notes"}) {
            Cli.Result peek = bob.run(tmp, "status", ref);
            assertThat(peek.exit()).as(peek.describe()).isEqualTo(CliError.NOT_FOUND);
            assertThat(peek.err()).startsWith("vibed: not found:").hasLineCount(1);
            Cli.Result remove = bob.run(tmp, "rm", ref, "--yes");
            assertThat(remove.exit()).isEqualTo(CliError.NOT_FOUND);
        }
        Cli.Result bobsApps = bob.run(tmp, "apps", "--json");
        assertThat(bobsApps.out()).doesNotContain("private-notes");
        assertThat(alice.run(tmp, "status", "private-notes", "--json").exit()).as("still there for alice").isZero();

        Cli.Result logout = alice.run(tmp, "logout");
        assertThat(logout.err()).contains("logged out of " + server.url());
        Cli.Result after = alice.run(tmp, "whoami");
        assertThat(after.exit()).isEqualTo(CliError.UNAUTHORISED);
        assertThat(after.err()).isEqualTo("vibed: not logged in to " + server.url()
                + " (send Authorization: Bearer <API key>): run `vibed login --server " + server.url() + "` or set VIBED_TOKEN\n");
    }

    @Test
    void loginWithoutAKeyOffTerminalSaysThereIsNoDeviceFlowAndWhatToDo() {
        Cli cli = new Cli(server.url(), tmp.resolve("nokey-config"));
        Cli.Result r = cli.run(tmp, "login");
        assertThat(r.exit()).isEqualTo(CliError.USAGE);
        assertThat(r.err()).contains("does not offer the OIDC device flow", "--token KEY or --token-stdin");
    }

    @Test
    void aDeployOverTheAppQuotaIsOneLineWithTheQuotaExitCode() {
        Cli bob = new Cli(server.url(), tmp.resolve("bob-quota-config")).as(TestServer.BOB_KEY);
        Cli.Result refused = null;
        for (int i = 1; i <= MAX_APPS + 1 && refused == null; i++) {
            Cli.Result r = bob.run(Projects.in(tmp, "bob-site-" + i).file("index.html", "<p>" + i + "</p>").dir(), "deploy", "-q");
            if (r.exit() != 0) {
                refused = r;
            }
        }
        assertThat(refused).as("the deploy beyond " + MAX_APPS + " apps is refused").isNotNull();
        assertThat(refused.exit()).as(refused.describe()).isEqualTo(CliError.QUOTA);
        assertThat(refused.err()).startsWith("vibed: quota: ").contains("the limit is " + MAX_APPS, "vibed rm APP").hasLineCount(1);
    }

    @Test
    void anUnreachableServerIsOneLineSayingWhatToDo() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Cli.Result r = new Cli("http://127.0.0.1:" + closed, tmp.resolve("c")).run(tmp, "apps");
        assertThat(r.exit()).isEqualTo(CliError.UNREACHABLE);
        assertThat(r.err()).isEqualTo("vibed: cannot reach vibeD at http://127.0.0.1:" + closed
                + ": start it with `./vibed up`, or point --server or VIBED_URL at a running server\n");
    }

    @Test
    void installCliPutsAWrapperThatRunsFromAnyFolderAndCompletionIsOffered() throws Exception {
        Path bin = tmp.resolve("bin");
        Cli cli = new Cli(server.url(), tmp.resolve("install-config")).as(TestServer.ALICE_KEY);
        Cli.Result install = cli.run(tmp, "install-cli", bin.toString());
        assertThat(install.exit()).as(install.describe()).isZero();
        Path wrapper = bin.resolve("vibed");
        assertThat(wrapper).isExecutable();

        Path elsewhere = Files.createDirectories(tmp.resolve("some/other/folder"));
        assertThat(Files.readString(wrapper)).contains("VIBED_JAVA=", Cli.LAUNCHER.toString());
        ProcessBuilder withKey = new ProcessBuilder(wrapper.toString(), "whoami").directory(elsewhere.toFile());
        withKey.environment().put("VIBED_URL", server.url());
        withKey.environment().put("VIBED_TOKEN", TestServer.BOB_KEY);
        withKey.environment().put("XDG_CONFIG_HOME", tmp.resolve("install-config").toString());
        Process q = withKey.start();
        String out = new String(q.getInputStream().readAllBytes());
        assertThat(q.waitFor()).isZero();
        assertThat(out).startsWith("bob on " + server.url());

        Cli.Result completion = cli.run(tmp, "completion");
        assertThat(completion.out()).contains("complete -F", "deploy", "rollback", "--no-wait");
        Cli.Result help = cli.run(tmp, "deploy", "--help");
        assertThat(help.out()).contains("Usage: vibed deploy", "--env-file", ".vibedignore");
    }
}
