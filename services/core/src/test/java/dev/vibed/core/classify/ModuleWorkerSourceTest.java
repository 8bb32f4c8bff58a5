package dev.vibed.core.classify;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleWorkerSourceTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "export default { async fetch(request, env, ctx) { return new Response('hi') } }",
            "export default {\n  fetch(req) {\n    return new Response('hi')\n  }\n}",
            "export default { fetch }",
            "export default { fetch: handle }",
            "export default {\n  async scheduled(event) {},\n  fetch: async (req) => new Response('x'),\n}",
            "const worker = { async fetch(request, env) { return new Response('x') } };\nexport default worker;",
            "const app = { fetch: async (r) => new Response('x') }\nexport default app"})
    void recognisesModuleWorkers(String source) {
        assertThat(ModuleWorkerSource.isModuleWorker(source)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "addEventListener('fetch', event => event.respondWith(new Response('hi')))",
            "export default function handler(req, res) { res.end('hi') }",
            "import http from 'node:http';\nexport default { fetch: () => 1 };\nhttp.createServer().listen(8080);",
            "export default { async fetch(r) { return new Response('x') } }\napp.listen(3000)",
            "const data = await fetch('https://example.com');\nexport const x = 1;",
            "import { serve } from '@hono/node-server'\nserve({ fetch: app.fetch, port: 3000 })",
            "export default app"})
    void ignoresEverythingElse(String source) {
        assertThat(ModuleWorkerSource.isModuleWorker(source)).isFalse();
    }
}
