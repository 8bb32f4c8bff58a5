package dev.vibed.standalone;

import dev.vibed.api.auth.Auth;
import dev.vibed.api.auth.AuthSettings;
import dev.vibed.standalone.sandbox.ProcessAgentFactory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./vibed up}: starts vibeD standalone and runs until Ctrl-C, then stops every sandbox it started.
 * Flags: {@code --port N} (8080), {@code --data-dir DIR} (./.vibed), {@code --bind ADDR} (127.0.0.1),
 * {@code --warm N} (idle sandboxes per template, 1), {@code --warm-max N} (the most a burst of deploys raises that to, 2),
 * and the auth mode: {@code --auth none|apikey|oidc} (none),
 * {@code --api-keys FILE} (or env {@code VIBED_API_KEYS}), {@code --oidc-issuer URL}, {@code --oidc-audience AUD},
 * {@code --oidc-client-id ID}, {@code --oidc-client-secret S}, {@code --oidc-user-claim C}, {@code --oidc-admin-claim C},
 * {@code --oidc-admin-value V}, {@code --oidc-resource URL}.
 */
public final class StandaloneMain {
    private StandaloneMain() {
    }

    public static void main(String[] args) throws Exception {
        StandaloneConfig config;
        Standalone.Overrides overrides = Standalone.Overrides.defaults();
        try {
            // --deploys-per-minute N raises the per-user deploy rate (default 30) and --max-apps-per-owner N the apps
            // one user may hold (default 50): benchmarks deploy far faster, and far more.
            java.util.List<String> rest = new java.util.ArrayList<>(java.util.List.of(args));
            dev.vibed.core.application.VibedFactory.Settings settings = dev.vibed.core.application.VibedFactory.Settings.defaults();
            java.util.OptionalInt perMinute = takeInt(rest, "--deploys-per-minute", 1, 1_000_000);
            if (perMinute.isPresent()) {
                dev.vibed.core.quota.Quotas q = settings.quotas();
                settings = settings.withQuotas(new dev.vibed.core.quota.Quotas(perMinute.getAsInt(), q.maxLogStreams(), q.maxWatches()));
            }
            java.util.OptionalInt maxApps = takeInt(rest, "--max-apps-per-owner", 1, 1_000_000);
            if (maxApps.isPresent()) {
                dev.vibed.core.lifecycle.AppPolicy p = settings.policy();
                settings = settings.withPolicy(new dev.vibed.core.lifecycle.AppPolicy(p.defaultTtl(), p.maxTtl(),
                        p.allowNoExpiry(), maxApps.getAsInt(), p.maxEnvEntries(), p.maxEnvBytes(), p.archive()));
            }
            // --deploy-concurrency N: deploys doing vibeD's own work at once, in arrival order (default: the cores, at least 2).
            java.util.OptionalInt concurrency = takeInt(rest, "--deploy-concurrency", 1, 10_000);
            if (concurrency.isPresent()) {
                settings = settings.withDeployConcurrency(concurrency.getAsInt());
            }
            overrides = overrides.withSettings(settings);
            config = parse(rest.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            System.err.println("vibed: " + e.getMessage());
            System.err.println("usage: ./vibed up [--port 8080] [--data-dir ./.vibed] [--bind 127.0.0.1] [--warm 1] [--warm-max 2]"
                    + " [--deploys-per-minute 30] [--max-apps-per-owner 50] [--deploy-concurrency N] [--auth none|apikey|oidc] [--api-keys FILE] [--oidc-issuer URL --oidc-audience AUD"
                    + " [--oidc-client-id ID --oidc-client-secret S] [--oidc-user-claim C] [--oidc-admin-claim C"
                    + " --oidc-admin-value V] [--oidc-resource URL]]");
            System.exit(2);
            return;
        }
        ProcessAgentFactory agents = ProcessAgentFactory.forThisMachine(config.dataDir().resolve("cache"));
        Standalone vibed;
        try {
            vibed = Standalone.start(config.withTemplates(agents.availableTemplates(config.templates())), agents, overrides);
        } catch (IllegalArgumentException e) {
            System.err.println("vibed: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("vibed: stopping (ending every sandbox)");
            vibed.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("vibed: up. API and dashboard: http://localhost:" + vibed.port() + "/  apps: "
                + vibed.urls().url("<app_id>") + "  data: " + config.dataDir().toAbsolutePath().normalize());
        String credentials = switch (config.auth().mode()) {
            case NONE -> "";
            case APIKEY -> "-H 'Authorization: Bearer <your key>' ";
            case OIDC -> "-H 'Authorization: Bearer <token from the issuer>' ";
        };
        System.out.println("vibed: auth " + config.auth().mode().wire() + "; deploy with: curl " + credentials
                + "-F source=@site.tar.gz http://localhost:" + vibed.port() + "/v1/deploy");
        stopped.await();
    }

    static StandaloneConfig parse(String[] args) {
        return parse(args, System.getenv(Auth.API_KEYS_ENV));
    }

    static StandaloneConfig parse(String[] args, String apiKeysEnv) {
        StandaloneConfig config = StandaloneConfig.defaults(Path.of(".vibed"));
        Map<String, String> auth = new HashMap<>();
        if (apiKeysEnv != null) {
            auth.put("api-keys", apiKeysEnv);
        }
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("flag " + flag + " needs a value");
            }
            String value = args[++i];
            config = switch (flag) {
                case "--port" -> config.withPort(parsePort(value));
                case "--data-dir" -> config.withDataDir(Path.of(value));
                case "--bind" -> config.withBind(value);
                case "--warm" -> config.withWarmPerTemplate(parseInt(flag, value, 0, 16));
                case "--warm-max" -> config.withWarmMax(parseInt(flag, value, 0, 64));
                default -> {
                    // Auth flags mean what they mean in cluster mode; here --api-keys names the key file.
                    String name = flag.equals("--api-keys") ? "api-keys-file" : flag.replaceFirst("^--", "");
                    if (!flag.startsWith("--") || name.equals("api-keys") || !AuthSettings.NAMES.contains(name)) {
                        throw new IllegalArgumentException("unknown flag " + flag);
                    }
                    auth.put(name, value);
                    yield config;
                }
            };
        }
        return config.withAuth(AuthSettings.from(name -> Optional.ofNullable(auth.get(name))));
    }

    /** Removes {@code flag} and its value from {@code rest}, if present, and returns the value. */
    private static java.util.OptionalInt takeInt(java.util.List<String> rest, String flag, int min, int max) {
        int at = rest.indexOf(flag);
        if (at < 0) {
            return java.util.OptionalInt.empty();
        }
        if (at + 1 >= rest.size()) {
            throw new IllegalArgumentException("flag " + flag + " needs a value");
        }
        int value = parseInt(flag, rest.get(at + 1), min, max);
        rest.subList(at, at + 2).clear();
        return java.util.OptionalInt.of(value);
    }

    private static int parsePort(String value) {
        return parseInt("--port", value, 1, 65535);
    }

    private static int parseInt(String flag, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new IllegalArgumentException(flag + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, not '" + value + "'");
        }
    }
}
