package dev.vibed.core.classify;

import dev.vibed.core.archive.ArchiveEntry;
import dev.vibed.core.archive.ArchiveInspector;
import dev.vibed.core.archive.ArchiveLimits;
import dev.vibed.core.archive.ArchiveManifest;
import dev.vibed.core.testing.TarGz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

class ClassifierTest {
    private static final String WORKER = """
            export default {
              async fetch(request, env, ctx) {
                return new Response("Hello from a worker");
              },
            };
            """;
    private static final String NODE_HTTP_SERVER = """
            const http = require('http');
            http.createServer((req, res) => res.end('hi')).listen(process.env.PORT || 8080);
            """;

    private final Classifier classifier = new Classifier();

    @TempDir
    Path tmp;

    static Stream<Arguments> projects() {
        return Stream.of(
                // Static sites
                shape("plain static site", TarGz.create()
                        .file("index.html", "<h1>hi</h1>").file("style.css", "body{}").file("app.js", "document.title='x'"),
                        "static", "static-root-index", ""),
                shape("static site tarred as its folder", TarGz.create()
                        .dir("mysite").file("mysite/index.html", "hi").file("mysite/css/site.css", "body{}"),
                        "static", "static-root-index", "mysite"),
                shape("static site with scripts named like servers", TarGz.create()
                        .file("index.html", "hi").file("index.js", "console.log(1)").file("app.js", "x").file("server.js", "x"),
                        "static", "static-root-index", ""),
                shape("static site with a module worker lookalike but no package.json", TarGz.create()
                        .file("index.html", "hi").file("_worker.js", WORKER),
                        "static", "static-root-index", ""),
                shape("static site whose package.json only lists dev tools", TarGz.create()
                        .file("package.json", "{\"devDependencies\":{\"prettier\":\"3\"},\"scripts\":{\"format\":\"prettier -w .\"}}")
                        .file("index.html", "hi"),
                        "static", "static-root-index", ""),
                shape("macOS tar with AppleDouble files", TarGz.create()
                        .file("._mysite", "junk").file(".DS_Store", "junk").file("mysite/index.html", "hi")
                        .file("mysite/._index.html", "junk"),
                        "static", "static-root-index", "mysite"),
                shape("tarred with ./ prefixes", TarGz.create()
                        .dir("./").file("./index.html", "hi").file("./img/logo.png", "png"),
                        "static", "static-root-index", ""),
                shape("site nested two folders deep", TarGz.create()
                        .file("project/site/index.html", "hi").file("project/site/about.html", "about"),
                        "static", "static-root-index", "project/site"),
                // Prebuilt output of a front-end build
                shape("Vite React app with dist/", TarGz.create()
                        .file("package.json", pkg("\"scripts\":{\"dev\":\"vite\",\"build\":\"vite build\",\"preview\":\"vite preview\"}"))
                        .file("index.html", "<div id=root></div><script type=module src=/src/main.jsx></script>")
                        .file("src/main.jsx", "import React from 'react'")
                        .file("dist/index.html", "<div id=root></div>").file("dist/assets/index-4f2a.js", "x"),
                        "static", "static-prebuilt-output", "dist"),
                shape("Create React App with build/", TarGz.create()
                        .file("package.json", pkg("\"scripts\":{\"start\":\"react-scripts start\",\"build\":\"react-scripts build\"}"))
                        .file("public/index.html", "%PUBLIC_URL%").file("src/index.js", "import React from 'react'")
                        .file("build/index.html", "built").file("build/static/js/main.1a2b.js", "x"),
                        "static", "static-prebuilt-output", "build"),
                shape("Next.js static export in out/", TarGz.create()
                        .file("package.json", pkg("\"scripts\":{\"dev\":\"next dev\",\"build\":\"next build\",\"start\":\"next start\"}"))
                        .file("pages/index.js", "export default function Home() {}")
                        .file("out/index.html", "built").file("out/_next/static/chunks/main.js", "x"),
                        "static", "static-prebuilt-output", "out"),
                shape("Astro site with dist/", TarGz.create()
                        .file("package.json", pkg("\"scripts\":{\"dev\":\"astro dev\",\"build\":\"astro build\"}"))
                        .file("astro.config.mjs", "export default {}").file("src/pages/index.astro", "---")
                        .file("dist/index.html", "built"),
                        "static", "static-prebuilt-output", "dist"),
                shape("Hugo site with public/", TarGz.create()
                        .file("config.toml", "title = 'x'").file("content/_index.md", "# hi")
                        .file("layouts/index.html", "{{ .Content }}").file("public/index.html", "built"),
                        "static", "static-prebuilt-output", "public"),
                shape("SvelteKit static adapter with build/", TarGz.create()
                        .file("package.json", pkg("\"scripts\":{\"dev\":\"vite dev\",\"build\":\"vite build\"}"))
                        .file("svelte.config.js", "export default {}").file("src/routes/+page.svelte", "<h1>hi</h1>")
                        .file("build/index.html", "built"),
                        "static", "static-prebuilt-output", "build"),
                shape("both dist/ and public/ built: dist/ wins", TarGz.create()
                        .file("package.json", pkg("\"scripts\":{\"build\":\"vite build\"}"))
                        .file("public/index.html", "static asset").file("dist/index.html", "built"),
                        "static", "static-prebuilt-output", "dist"),
                shape("prebuilt output inside the project folder", TarGz.create()
                        .file("myapp/package.json", pkg("\"scripts\":{\"build\":\"vite build\"}"))
                        .file("myapp/dist/index.html", "built"),
                        "static", "static-prebuilt-output", "myapp/dist"),
                shape("only the dist folder tarred", TarGz.create()
                        .file("dist/index.html", "built").file("dist/assets/app.js", "x"),
                        "static", "static-root-index", "dist"),
                // Needs a build first
                shape("Vite project without built output", TarGz.create()
                        .file("package.json", pkg("\"scripts\":{\"dev\":\"vite\",\"build\":\"vite build\"},\"devDependencies\":{\"vite\":\"5\"}"))
                        .file("index.html", "<script type=module src=/src/main.ts></script>").file("src/main.ts", "x"),
                        "static", "build-required", ""),
                // The official starters (create-vite 9.3 templates, create-next-app 16.4), and what assistants write
                shape("create-vite vanilla", vite("/src/main.js", "{}"), "static", "build-required", ""),
                shape("create-vite react", vite("/src/main.jsx", "{\"react\":\"^19.3.1\",\"react-dom\":\"^19.3.1\"}"),
                        "static", "build-required", ""),
                shape("create-vite preact", vite("/src/main.jsx", "{\"preact\":\"^10.28.0\"}"), "static", "build-required", ""),
                shape("create-vite vue", vite("/src/main.js", "{\"vue\":\"^3.5.26\"}"), "static", "build-required", ""),
                shape("create-vite svelte", vite("/src/main.js", "{\"svelte\":\"^5.46.0\"}"), "static", "build-required", ""),
                shape("create-vite lit", vite("/src/my-element.js", "{\"lit\":\"^3.3.1\"}"), "static", "build-required", ""),
                shape("React SPA with a client router", TarGz.create()
                        .file("package.json", pkg("\"scripts\":{\"build\":\"vite build\"},\"dependencies\":{\"react-router-dom\":\"7\"}"))
                        .file("index.html", "<div id=root></div><script type=module src=/src/main.jsx></script>")
                        .file("src/main.jsx", "import { BrowserRouter } from 'react-router-dom'"),
                        "static", "build-required", ""),
                shape("create-next-app app router", TarGz.create()
                        .file("package.json", pkg("\"scripts\":{\"dev\":\"next dev\",\"build\":\"next build\",\"start\":\"next start\"},"
                                + "\"dependencies\":{\"next\":\"16.4.3\",\"react\":\"^19\",\"react-dom\":\"^19\"}"))
                        .file("next.config.mjs", "export default {}").file("app/layout.js", "export default function L() {}")
                        .file("app/page.js", "export default function Home() {}").file("public/next.svg", "<svg/>"),
                        "node", "node-build-then-start", ""),
                shape("Next.js with its .next build included", TarGz.create()
                        .file("package.json", pkg("\"scripts\":{\"build\":\"next build\",\"start\":\"next start\"}"))
                        .file("app/page.js", "x").file(".next/BUILD_ID", "abc"),
                        "node", "node-start-script", ""),
                shape("Express in TypeScript, compiled by its build", TarGz.create()
                        .file("package.json", pkg("\"scripts\":{\"build\":\"tsc\",\"start\":\"node dist/server.js\"},"
                                + "\"dependencies\":{\"express\":\"4\"},\"devDependencies\":{\"typescript\":\"5\"}"))
                        .file("src/server.ts", "import express from 'express'").file("tsconfig.json", "{}"),
                        "node", "node-build-then-start", ""),
                shape("Express server with dependencies", TarGz.create()
                        .file("package.json", pkg("\"scripts\":{\"start\":\"node server.js\"},\"dependencies\":{\"express\":\"^4.21.0\",\"cors\":\"^2.8.5\"}"))
                        .file("server.js", "const express = require('express'); express().listen(process.env.PORT)"),
                        "node", "node-start-script", ""),
                shape("server hard-coded to port 3000", TarGz.create()
                        .file("server.js", "require('http').createServer((q, s) => s.end('hi')).listen(3000, () => console.log('listening on 3000'))"),
                        "node", "node-server-file", ""),
                // Cloudflare workers
                shape("Cloudflare worker with wrangler.toml", TarGz.create()
                        .file("wrangler.toml", "name = \"hello\"\nmain = \"src/index.ts\"")
                        .file("package.json", pkg("\"scripts\":{\"deploy\":\"wrangler deploy\",\"dev\":\"wrangler dev\"}"))
                        .file("src/index.ts", "export default { async fetch() { return new Response('hi') } }"),
                        "workerd", "workerd-wrangler", ""),
                shape("worker with wrangler.jsonc", TarGz.create()
                        .file("wrangler.jsonc", "{ \"name\": \"hello\" }").file("src/index.js", WORKER),
                        "workerd", "workerd-wrangler", ""),
                shape("module worker index.js without wrangler", TarGz.create().file("index.js", WORKER),
                        "workerd", "workerd-module-worker", ""),
                shape("module worker in src/index.js", TarGz.create()
                        .file("package.json", pkg("\"devDependencies\":{\"wrangler\":\"3\"},\"scripts\":{\"dev\":\"wrangler dev\"}"))
                        .file("src/index.js", WORKER).file("README.md", "# worker"),
                        "workerd", "workerd-module-worker", ""),
                shape("module worker exporting a named object", TarGz.create()
                        .file("worker.mjs", "const handler = {\n  async fetch(request, env) { return new Response('x') }\n};\nexport default handler;\n"),
                        "workerd", "workerd-module-worker", ""),
                shape("module worker with a shorthand fetch", TarGz.create()
                        .file("package.json", "{\"type\":\"module\"}")
                        .file("src/worker.js", "function fetch(req) { return new Response('x') }\nexport default { fetch };\n"),
                        "workerd", "workerd-module-worker", ""),
                // Node
                shape("Express with a start script", TarGz.create()
                        .file("package.json", pkg("\"scripts\":{\"start\":\"node server.js\"},\"dependencies\":{\"express\":\"4\"}"))
                        .file("server.js", "const app = require('express')(); app.listen(3000)")
                        .file("public/index.html", "assets served by express"),
                        "node", "node-start-script", ""),
                shape("Fastify with main", TarGz.create()
                        .file("package.json", pkg("\"main\":\"app.js\",\"dependencies\":{\"fastify\":\"4\"}"))
                        .file("app.js", "require('fastify')().listen({ port: 3000 })"),
                        "node", "node-main", ""),
                shape("plain http server.js without package.json", TarGz.create().file("server.js", NODE_HTTP_SERVER),
                        "node", "node-server-file", ""),
                shape("ESM server.mjs with type module", TarGz.create()
                        .file("package.json", "{\"type\":\"module\",\"dependencies\":{\"express\":\"4\"}}")
                        .file("server.mjs", "import express from 'express'; express().listen(3000)"),
                        "node", "node-server-file", ""),
                shape("app.js", TarGz.create()
                        .file("package.json", "{\"dependencies\":{\"express\":\"4\"}}").file("app.js", "require('express')().listen(8080)")
                        .file("views/index.ejs", "<h1>hi</h1>"),
                        "node", "node-server-file", ""),
                shape("CommonJS index.cjs", TarGz.create().file("index.cjs", NODE_HTTP_SERVER),
                        "node", "node-server-file", ""),
                shape("package.json main pointing to src/server.js", TarGz.create()
                        .file("package.json", pkg("\"main\":\"./src/server.js\""))
                        .file("src/server.js", NODE_HTTP_SERVER),
                        "node", "node-main", ""),
                shape("package.json main without extension", TarGz.create()
                        .file("package.json", pkg("\"main\":\"lib/start\"")).file("lib/start.js", NODE_HTTP_SERVER),
                        "node", "node-main", ""),
                shape("Koa", TarGz.create()
                        .file("package.json", pkg("\"scripts\":{\"start\":\"node index.js\"},\"dependencies\":{\"koa\":\"2\"}"))
                        .file("index.js", "const Koa = require('koa'); new Koa().listen(3000)"),
                        "node", "node-start-script", ""),
                shape("Hono on Node", TarGz.create()
                        .file("package.json", pkg("\"type\":\"module\",\"main\":\"src/index.js\",\"dependencies\":{\"hono\":\"4\",\"@hono/node-server\":\"1\"}"))
                        .file("src/index.js", "import { serve } from '@hono/node-server'\nimport { Hono } from 'hono'\n"
                                + "const app = new Hono()\napp.get('/', (c) => c.text('hi'))\nserve({ fetch: app.fetch, port: 3000 })\n"),
                        "node", "node-main", ""),
                shape("server with export default and fetch that listens", TarGz.create()
                        .file("index.js", "import http from 'node:http';\nexport default { fetch: () => 1 };\nhttp.createServer().listen(8080);\n"),
                        "node", "node-server-file", ""),
                shape("Node app tarred as its folder", TarGz.create()
                        .file("myapp/package.json", pkg("\"scripts\":{\"start\":\"node server.js\"}")).file("myapp/server.js", NODE_HTTP_SERVER)
                        .file("myapp/public/index.html", "hi"),
                        "node", "node-start-script", "myapp"),
                shape("build script outranks main when there is no start script", TarGz.create()
                        .file("package.json", pkg("\"main\":\"dist/server.js\",\"scripts\":{\"build\":\"tsc\"}"))
                        .file("src/server.ts", "x").file("dist/server.js", NODE_HTTP_SERVER),
                        "static", "build-required", ""),
                // Python
                shape("Flask app.py with requirements.txt", TarGz.create()
                        .file("app.py", "from flask import Flask\napp = Flask(__name__)").file("requirements.txt", "flask==3.0.0")
                        .file("templates/index.html", "{{ title }}").file("static/style.css", "body{}"),
                        "python", "python-wsgi-app", ""),
                shape("FastAPI main.py with requirements.txt", TarGz.create()
                        .file("main.py", "from fastapi import FastAPI\napp = FastAPI()").file("requirements.txt", "fastapi\nuvicorn"),
                        "python", "python-asgi-app", ""),
                shape("FastAPI that runs uvicorn itself", TarGz.create()
                        .file("main.py", "import uvicorn\nfrom fastapi import FastAPI\napp = FastAPI()\n"
                                + "if __name__ == '__main__':\n    uvicorn.run(app, port=8000)\n")
                        .file("requirements.txt", "fastapi\nuvicorn"),
                        "python", "python-requirements", ""),
                shape("Starlette app without requirements", TarGz.create()
                        .file("app.py", "from starlette.applications import Starlette\napplication = Starlette(routes=[])\n"),
                        "python", "python-asgi-app", ""),
                shape("Flask app in its folder with a typed app", TarGz.create()
                        .file("api/app.py", "import flask\napp: flask.Flask = flask.Flask(__name__)\n")
                        .file("api/requirements.txt", "flask"),
                        "python", "python-wsgi-app", "api"),
                shape("Django project with wsgi.py", TarGz.create()
                        .file("manage.py", "#!/usr/bin/env python").file("requirements.txt", "django")
                        .file("mysite/settings.py", "DEBUG = False").file("mysite/wsgi.py",
                                "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"),
                        "python", "python-django", ""),
                shape("Django manage.py with requirements.txt", TarGz.create()
                        .file("manage.py", "#!/usr/bin/env python").file("requirements.txt", "django")
                        .file("mysite/settings.py", "DEBUG = False").file("mysite/urls.py", "urlpatterns = []"),
                        "python", "python-requirements", ""),
                shape("pyproject-only project", TarGz.create()
                        .file("pyproject.toml", "[project]\nname = \"api\"\ndependencies = [\"starlette\"]")
                        .file("src/api/__init__.py", "").file("src/api/server.py", "app = 1"),
                        "python", "python-pyproject", ""),
                shape("bare main.py", TarGz.create().file("main.py", "print('hi')"),
                        "python", "python-app-file", ""),
                shape("bare app.py in a folder", TarGz.create().file("bot/app.py", "print('hi')").file("bot/README.md", "# bot"),
                        "python", "python-app-file", "bot"),
                shape("Python app that serves an index.html", TarGz.create()
                        .file("app.py", "import http.server").file("index.html", "hi"),
                        "python", "python-app-file", ""),
                shape("Flask with public/index.html is still Flask", TarGz.create()
                        .file("app.py", "from flask import Flask").file("requirements.txt", "flask").file("public/index.html", "hi"),
                        "python", "python-requirements", ""));
    }

    @ParameterizedTest
    @MethodSource("projects")
    void classifiesRealWorldProjectShapes(TarGz archive, String template, String rule, String root) throws Exception {
        Classification c = classifier.classify(manifestOf(archive));

        assertThat(c.template()).as("template").isEqualTo(template);
        assertThat(c.rule()).as("rule").isEqualTo(rule);
        assertThat(c.root()).as("root").isEqualTo(root);
        assertThat(c.lane()).as("lane").isEqualTo(template.equals("node") || template.equals("python") ? "general" : "fast");
        assertThat(c.needsBuild()).as("needsBuild").isEqualTo(rule.equals("build-required") || rule.equals("node-build-then-start"));
        assertThat(c.reason()).as("reason").isNotBlank();
    }

    @Test
    void explainsItsDecisionInTheReason() throws Exception {
        Classification c = classifier.classify(manifestOf(TarGz.create()
                .file("package.json", pkg("\"scripts\":{\"build\":\"vite build\"}")).file("dist/index.html", "x")));

        assertThat(c).isEqualTo(new Classification("fast", "static", "static-prebuilt-output", "dist",
                "index.html at dist/ (prebuilt output)", false));
    }

    @Test
    void anEmptyArchiveSaysWhatWasLookedFor() throws Exception {
        UnclassifiableException e = unclassifiable(manifestOf(TarGz.create()));

        assertThat(e).hasMessageContaining("empty");
        assertLooksForEverything(e);
    }

    @Test
    void anArchiveWithOnlyAReadmeSaysWhatWasLookedForAndWhatWasFound() throws Exception {
        UnclassifiableException e = unclassifiable(manifestOf(TarGz.create().file("README.md", "# hi").file("docs/notes.txt", "x")));

        assertLooksForEverything(e);
        assertThat(e).hasMessageContaining("Found: README.md, docs/.");
    }

    @Test
    void aPackageJsonWithNothingToRunIsCalledOut() throws Exception {
        UnclassifiableException e = unclassifiable(manifestOf(TarGz.create()
                .file("package.json", pkg("\"scripts\":{\"test\":\"jest\"}")).file("lib/util.js", "x")));

        assertThat(e).hasMessageContaining("package.json was found, but it has no start script");
    }

    @Test
    void aMalformedPackageJsonIsAClearError() throws Exception {
        UnclassifiableException e = unclassifiable(manifestOf(TarGz.create()
                .file("package.json", "{ \"scripts\": { \"start\": \"node server.js\", } ").file("server.js", "x")));

        assertThat(e.getMessage()).startsWith("package.json is not valid JSON: ");
    }

    @Test
    void aPackageJsonThatIsNotAnObjectIsAClearError() throws Exception {
        UnclassifiableException e = unclassifiable(manifestOf(TarGz.create().file("package.json", "[1, 2]")));

        assertThat(e.getMessage()).startsWith("package.json is not valid JSON: ");
    }

    @Test
    void aMalformedPackageJsonInsideTheRootFolderIsNamedWithItsPath() throws Exception {
        UnclassifiableException e = unclassifiable(manifestOf(TarGz.create().file("app/package.json", "nope").file("app/x.js", "x")));

        assertThat(e.getMessage()).startsWith("app/package.json is not valid JSON: ");
    }

    @Test
    void aPackageJsonTooBigToCaptureIsAClearError() throws Exception {
        String huge = pkg("\"description\":\"" + "x".repeat(70 * 1024) + "\"");
        UnclassifiableException e = unclassifiable(manifestOf(TarGz.create().file("package.json", huge).file("server.js", "x")));

        assertThat(e).hasMessageStartingWith("package.json could not be read");
    }

    @Test
    void aPackageJsonWithAByteOrderMarkIsFine() throws Exception {
        Classification c = classifier.classify(manifestOf(TarGz.create()
                .file("package.json", "\uFEFF" + pkg("\"scripts\":{\"start\":\"node a.js\"}")).file("a.js", "x")));

        assertThat(c.rule()).isEqualTo("node-start-script");
    }

    @Test
    void classifiesTenThousandEntries() throws Exception {
        // How fast this is belongs to a benchmark, not to a test on a shared machine; here: the answer is right.
        Classification c = classifier.classify(generatedManifest(10_000));

        assertThat(c.rule()).isEqualTo("node-start-script");
        assertThat(c.root()).isEqualTo("monorepo");
    }

    /** A big Node project inside one folder: lots of node_modules, deep trees, and the app at the top. */
    private static ArchiveManifest generatedManifest(int entries) {
        List<ArchiveEntry> list = new ArrayList<>();
        Map<String, String> keyFiles = new LinkedHashMap<>();
        list.add(ArchiveEntry.directory("monorepo"));
        list.add(ArchiveEntry.file("monorepo/package.json", 60));
        keyFiles.put("monorepo/package.json", pkg("\"scripts\":{\"start\":\"node server.js\"}"));
        list.add(ArchiveEntry.file("monorepo/server.js", 100));
        for (int i = 0; list.size() < entries; i++) {
            list.add(ArchiveEntry.file("monorepo/node_modules/pkg" + (i / 20) + "/lib/deep/er/file" + i + ".js", 1000));
        }
        return new ArchiveManifest(list, entries * 1000L, keyFiles);
    }

    private static void assertLooksForEverything(UnclassifiableException e) {
        assertThat(e.getMessage()).contains("index.html", "dist/", "package.json with a start script", "main",
                "server.js", "requirements.txt", "pyproject.toml", "app.py", "main.py", "wrangler.toml", "module worker");
    }

    private UnclassifiableException unclassifiable(ArchiveManifest manifest) {
        UnclassifiableException e = catchThrowableOfType(UnclassifiableException.class, () -> classifier.classify(manifest));
        assertThat(e).as("UnclassifiableException").isNotNull();
        return e;
    }

    /** Goes through a real .tar.gz and the inspector, so the whole path from upload to decision is exercised. */
    private ArchiveManifest manifestOf(TarGz archive) throws Exception {
        Path file = archive.writeTo(Files.createTempFile(tmp, "project", ".tar.gz"));
        return new ArchiveInspector().inspect(file, ArchiveLimits.defaults());
    }

    /** A create-vite template as its tarball holds it: a source index.html, src/, public/ and vite scripts. */
    private static TarGz vite(String entry, String dependencies) {
        return TarGz.create()
                .file("package.json", pkg("\"type\":\"module\",\"scripts\":{\"dev\":\"vite\",\"build\":\"vite build\","
                        + "\"preview\":\"vite preview\"},\"dependencies\":" + dependencies + ",\"devDependencies\":{\"vite\":\"^8.3.4\"}"))
                .file("index.html", "<!doctype html><div id=\"app\"></div><script type=\"module\" src=\"" + entry + "\"></script>")
                .file(entry.substring(1), "import './style.css'").file("public/favicon.svg", "<svg/>").file(".gitignore", "node_modules");
    }

    @Test
    void reasonsSayWhatRunsAndWhy() throws Exception {
        assertThat(classifier.classify(manifestOf(vite("/src/main.jsx", "{}"))).reason())
                .isEqualTo("package.json has a build script (vite build) and there is no built output (dist/, build/, out/ "
                        + "or public/ with an index.html); the index.html at the archive root is the build's input");
        assertThat(classifier.classify(manifestOf(TarGz.create().file("main.py", "from fastapi import FastAPI\napp = FastAPI()\n")))
                .reason()).isEqualTo("main.py defines an ASGI app (app = FastAPI(...)) and runs no server itself: served by "
                + "uvicorn on $PORT");
        assertThat(classifier.classify(manifestOf(TarGz.create().file("package.json",
                pkg("\"scripts\":{\"build\":\"next build\",\"start\":\"next start\"}")))).reason())
                .isEqualTo("package.json has a build script (next build) and a start script (next start) and nothing is "
                        + "built yet: it is built in its sandbox, then started");
    }

    private static String pkg(String members) {
        return "{\"name\":\"app\",\"version\":\"1.0.0\"," + members + "}";
    }

    private static Arguments shape(String name, TarGz archive, String template, String rule, String root) {
        return argumentSet(name, archive, template, rule, root);
    }
}
