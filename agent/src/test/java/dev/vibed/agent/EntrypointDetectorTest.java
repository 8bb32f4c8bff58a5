package dev.vibed.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EntrypointDetectorTest {
    @TempDir
    Path dir;

    private final Runtimes runtimes = new Runtimes(Path.of("/usr/bin/node"), Path.of("/usr/bin/npm"),
            Path.of("/usr/bin/python3"), Path.of("/opt/workerd/bin/workerd"));
    private final EntrypointDetector detector = new EntrypointDetector(runtimes);

    private LaunchPlan detect(String template, String entrypoint) throws ApiException {
        return detector.detect(dir, "/app", template, entrypoint, 8080, "127.0.0.1", Map.of());
    }

    private List<String> argv(String template, String entrypoint) throws ApiException {
        return ((LaunchPlan.Command) detect(template, entrypoint)).argv();
    }

    private void write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }

    @Test
    void nodePrefersStartScriptThenMainThenWellKnownFiles() throws Exception {
        write("server.js", "");
        write("app.js", "");
        assertThat(argv("node", null)).containsExactly("/usr/bin/node", "server.js");
        write("package.json", "{\"main\": \"./lib/main\"}");
        write("lib/main.js", "");
        assertThat(argv("node", null)).containsExactly("/usr/bin/node", "lib/main.js");
        write("package.json", "{\"main\": \"lib/main.js\", \"scripts\": {\"start\": \"node x\"}}");
        assertThat(argv("node", null)).containsExactly("/usr/bin/npm", "start");
    }

    @Test
    void nodeDependenciesAreInstalledOnlyWithoutNodeModules() throws Exception {
        write("index.mjs", "");
        write("package.json", "{\"dependencies\": {\"express\": \"^4\"}}");
        var plan = (LaunchPlan.Command) detect("node", null);
        assertThat(plan.argv()).containsExactly("/usr/bin/node", "index.mjs");
        assertThat(plan.installs()).singleElement().satisfies(i -> assertThat(i.argv())
                .containsExactly("/usr/bin/npm", "install", "--omit=dev", "--no-audit", "--no-fund"));
        Files.createDirectories(dir.resolve("node_modules"));
        assertThat(((LaunchPlan.Command) detect("node", null)).installs()).isEmpty();
    }

    @Test
    void pythonRequirementsGoIntoAPerAppVirtualenvThatSeesTheSystemPackages() throws Exception {
        write("main.py", "");
        write("requirements.txt", "# nothing yet\n\n");
        var plain = (LaunchPlan.Command) detect("python", null);
        assertThat(plain.argv()).containsExactly("/usr/bin/python3", "main.py");
        assertThat(plain.installs()).isEmpty();
        write("app.py", "");
        write("requirements.txt", "flask\n");
        var withDeps = (LaunchPlan.Command) new EntrypointDetector(runtimes, null,
                Map.of("PIP_FIND_LINKS", "/wheels", "PIP_NO_INDEX", "1"))
                .detect(dir, "/app", "python", null, 8080, "127.0.0.1", Map.of());
        assertThat(withDeps.argv()).containsExactly("/app/.venv/bin/python", "app.py");
        assertThat(withDeps.installs()).hasSize(2);
        assertThat(withDeps.installs().get(0).argv()).containsExactly("/usr/bin/python3", "-m", "venv",
                "--system-site-packages", "--without-pip", ".venv");
        LaunchPlan.Step pip = withDeps.installs().get(1);
        assertThat(pip.argv()).containsSequence("--python", "/app/.venv/bin/python", "install")
                .endsWith("-r", "requirements.txt");
        assertThat(pip.env()).as("the index is the installer's, not the app's").containsEntry("PIP_NO_INDEX", "1");
        assertThat(withDeps.env()).isEmpty();
    }

    @Test
    void pyprojectDependenciesAreInstalledWithoutBuildingTheProject() throws Exception {
        write("main.py", "print('hi')");
        write("pyproject.toml", """
                [project]
                name = "api"
                dependencies = [
                  "httpx>=0.23",
                  'humanize',
                  "--index-url=http://elsewhere",
                ]
                """);
        var plan = (LaunchPlan.Command) detect("python", null);
        assertThat(plan.installs().get(1).argv()).endsWith("install", "--no-input", "--no-cache-dir",
                "--disable-pip-version-check", "--no-warn-script-location", "httpx>=0.23", "humanize");
    }

    @Test
    void asgiAndWsgiAppsWithoutARunnerOfTheirOwnGetOneBoundToPort() throws Exception {
        write("main.py", "from fastapi import FastAPI\n\napi: FastAPI = FastAPI()\n");
        assertThat(argv("python", null)).containsExactly("/usr/bin/python3", "-m", "uvicorn", "main:api",
                "--host", "127.0.0.1", "--port", "8080");

        write("app.py", "from flask import Flask\napp = Flask(__name__)\n");
        assertThat(argv("python", null)).containsExactly("/usr/bin/python3", "-m", "gunicorn", "--bind",
                "127.0.0.1:8080", "--access-logfile", "-", "app:app");

        write("app.py", "from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run()\n");
        assertThat(argv("python", null)).as("its own runner").containsExactly("/usr/bin/python3", "app.py");
    }

    @Test
    void aDjangoProjectIsServedByGunicorn() throws Exception {
        write("manage.py", "#!/usr/bin/env python\n");
        write("mysite/__init__.py", "");
        write("mysite/wsgi.py", "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n");
        assertThat(argv("python", null)).containsExactly("/usr/bin/python3", "-m", "gunicorn", "--bind",
                "127.0.0.1:8080", "--access-logfile", "-", "mysite.wsgi:application");
    }

    @Test
    void aNodeProjectWithABuildScriptAndNothingBuiltIsBuiltBeforeItStarts() throws Exception {
        write("package.json", "{\"scripts\": {\"build\": \"next build\", \"start\": \"next start\"},"
                + " \"dependencies\": {\"next\": \"16.4.3\"}}");
        var plan = (LaunchPlan.Command) detect("node", null);
        assertThat(plan.argv()).containsExactly("/usr/bin/npm", "start");
        assertThat(plan.installs()).singleElement().satisfies(i -> assertThat(i.argv())
                .containsExactly("/usr/bin/npm", "install", "--include=dev", "--no-audit", "--no-fund"));
        assertThat(plan.build().argv()).containsExactly("/usr/bin/npm", "run", "build");

        Files.createDirectories(dir.resolve(".next"));
        var built = (LaunchPlan.Command) detect("node", null);
        assertThat(built.build()).isNull();
        assertThat(built.installs().getFirst().argv()).contains("--omit=dev");
    }

    @Test
    void workerdUsesWranglerMainAndWritesAConfig() throws Exception {
        write("wrangler.toml", "main = \"src/w.js\"\ncompatibility_date = \"2025-02-02\"\n");
        write("src/w.js", "export default {}");
        var plan = (LaunchPlan.Command) detect("workerd", null);
        assertThat(plan.argv()).containsExactly("/opt/workerd/bin/workerd", "serve", ".vibed-workerd.capnp");
        assertThat(plan.files().get(".vibed-workerd.capnp")).contains("embed \"src/w.js\"").contains("2025-02-02");
    }

    @Test
    void explicitEntrypointsWin() throws Exception {
        write("server.js", "");
        write("other.js", "");
        write("bin/run.sh", "");
        assertThat(argv("node", "other.js --flag")).containsExactly("/usr/bin/node", "other.js", "--flag");
        assertThat(argv("node", "npm run serve")).containsExactly("/usr/bin/npm", "run", "serve");
        assertThat(argv("node", "./bin/run.sh")).containsExactly("./bin/run.sh");
        assertThat(argv("python", "python3 -m http.server")).containsExactly("/usr/bin/python3", "-m", "http.server");
    }

    @Test
    void missingOrEscapingEntrypointsAreRejected() {
        assertThatThrownBy(() -> detect("node", null)).isInstanceOf(ApiException.class)
                .hasMessageContaining("server.js").extracting(e -> ((ApiException) e).code()).isEqualTo("no_entrypoint");
        assertThatThrownBy(() -> detect("node", "../outside.js")).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).code()).isEqualTo("no_entrypoint");
        assertThatThrownBy(() -> detect("python", null)).isInstanceOf(ApiException.class)
                .hasMessageContaining("app.py");
        assertThatThrownBy(() -> detect("workerd", null)).isInstanceOf(ApiException.class)
                .hasMessageContaining("worker.js");
        assertThatThrownBy(() -> detect("deno", null)).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).code()).isEqualTo("unsupported_template");
    }

    @Test
    void linksOutOfTheAppAreNotEntrypoints() throws Exception {
        Path outside = Files.writeString(dir.getParent().resolve("outside-" + System.nanoTime() + ".js"), "");
        try {
            Files.createSymbolicLink(dir.resolve("server.js"), outside);
            assertThatThrownBy(() -> detect("node", null)).isInstanceOf(ApiException.class);
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void aMissingRuntimeIsReported() throws Exception {
        write("app.py", "");
        var none = new EntrypointDetector(new Runtimes(null, null, null, null));
        assertThatThrownBy(() -> none.detect(dir, "/app", "python", null, 1, "127.0.0.1", Map.of()))
                .isInstanceOf(ApiException.class).hasMessageContaining("python3 is not installed")
                .extracting(e -> ((ApiException) e).code()).isEqualTo("runtime_missing");
    }

    @Test
    void staticWithABuildScriptAndNoIndexIsBuiltFirst() throws Exception {
        write("package.json", "{\"scripts\": {\"build\": \"node build.js\"}}");
        var plain = (LaunchPlan.Build) detect("static", null);
        assertThat(plain.template()).isEqualTo("static");
        assertThat(plain.dir()).isEqualTo(dir);
        assertThat(plain.installs()).isEmpty();
        assertThat(plain.build().argv()).containsExactly("/usr/bin/npm", "run", "build");

        write("package.json", "{\"scripts\": {\"build\": \"vite build\"}, \"devDependencies\": {\"vite\": \"^5\"}}");
        assertThat(((LaunchPlan.Build) detect("static", null)).installs()).singleElement().satisfies(i -> assertThat(
                i.argv()).containsExactly("/usr/bin/npm", "install", "--include=dev", "--no-audit", "--no-fund"));
        write("package-lock.json", "{}");
        assertThat(((LaunchPlan.Build) detect("static", null)).installs()).singleElement().satisfies(i -> assertThat(
                i.argv()).containsExactly("/usr/bin/npm", "ci", "--include=dev", "--no-audit", "--no-fund"));
    }

    @Test
    void staticWithoutABuildScriptIsServedAsItIsButAViteIndexIsASourceFile() throws Exception {
        write("package.json", "{\"scripts\": {\"test\": \"true\"}}");
        assertThat(detect("static", null)).isEqualTo(new LaunchPlan.Static(dir));
        write("package.json", "{\"scripts\": {\"build\": \"vite build\"}}");
        write("index.html", "<div id=root></div><script type=\"module\" src=\"/src/main.jsx\"></script>");
        assertThat(detect("static", null)).isInstanceOf(LaunchPlan.Build.class);
        assertThat(BuildOutput.siteAtRoot(dir)).as("a page that loads /src/ is not a site").isEmpty();
        write("index.html", "<h1>finished page</h1><script src=\"app.js\"></script>");
        assertThat(BuildOutput.siteAtRoot(dir)).contains(dir);
    }

    @Test
    void aViteConfigsOutDirIsWhereTheSiteIs() throws Exception {
        write("vite.config.js", "export default { build: { outDir: 'site-out/' } }");
        write("dist/index.html", "");
        write("site-out/index.html", "");
        assertThat(BuildOutput.find(dir)).contains(dir.resolve("site-out"));
    }

    @Test
    void buildOutputIsTheFirstOutputFolderWithAnIndex() throws Exception {
        assertThat(BuildOutput.find(dir)).isEmpty();
        write("public/favicon.ico", "");
        write("out/index.html", "");
        assertThat(BuildOutput.find(dir)).contains(dir.resolve("out"));
        write("dist/index.html", "");
        assertThat(BuildOutput.find(dir)).contains(dir.resolve("dist"));
    }

    @Test
    void buildOutputLinkedOutOfTheProjectIsNotServed() throws Exception {
        Path outside = Files.createTempDirectory(dir.getParent(), "outside-");
        try {
            Files.writeString(outside.resolve("index.html"), "");
            Files.createSymbolicLink(dir.resolve("dist"), outside);
            assertThat(BuildOutput.find(dir)).isEmpty();
        } finally {
            dev.vibed.core.files.FileTrees.deleteTree(outside);
        }
    }

    @Test
    void templateIsInferredWhenAbsent() throws Exception {
        write("index.html", "");
        assertThat(detect(null, null)).isInstanceOf(LaunchPlan.Static.class);
        write("app.py", "");
        assertThat(detect(null, null).template()).isEqualTo("python");
        write("package.json", "{}");
        write("index.js", "");
        assertThat(detect(null, null).template()).isEqualTo("node");
    }
}
