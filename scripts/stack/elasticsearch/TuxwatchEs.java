/*
 * Minimal launcher for an Elasticsearch 9.x node assembled from the artifacts Maven Central serves
 * (org.elasticsearch:elasticsearch + org.elasticsearch.plugin:transport-netty4). Elastic does not publish a
 * 9.x distribution zip there, so this replaces bin/elasticsearch + server-cli for local development and tests:
 * it prepares the environment like the CLI does, configures logging, loads modules/ and plugins/, and runs a
 * Node until SIGTERM. No entitlements agent, no keystore, no native controllers: not for production use.
 *
 * Usage: java -p HOME/lib --add-modules=ALL-MODULE-PATH -cp CLASSES -Des.path.home=HOME -Des.path.conf=CONF
 *        TuxwatchEs [-p PIDFILE] [-E key=value]...
 */
import org.elasticsearch.bootstrap.BootstrapInfo;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginsLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

public final class TuxwatchEs {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(required("es.path.home")).toAbsolutePath();
        Path conf = Path.of(System.getProperty("es.path.conf", home.resolve("config").toString())).toAbsolutePath();
        Path pidFile = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-p") && i + 1 < args.length) {
                pidFile = Path.of(args[++i]).toAbsolutePath();
            } else if (a.equals("-E") && i + 1 < args.length) {
                String kv = args[++i];
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("expected -E key=value, got " + kv);
                overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
            } else {
                throw new IllegalArgumentException("unknown argument " + a);
            }
        }

        // the CLI normally does this before reading elasticsearch.yml (x-content logs through ES logging)
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureESLogging();

        Settings base = Settings.builder().put("path.home", home.toString()).build();
        Environment env = InternalSettingsPreparer.prepareEnvironment(base, overrides, conf, () -> "tuxwatch-es");

        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(env.settings()));
        LogConfigurator.configure(env, true);
        BootstrapInfo.init();

        var modules = PluginsLoader.loadModulesBundles(env.modulesDir(), false);
        var plugins = PluginsLoader.loadPluginsBundles(env.pluginsDir(), false);
        PluginsLoader pluginsLoader = PluginsLoader.createPluginsLoader(modules, plugins, Map.of());

        Node node = new Node(env, pluginsLoader);
        CountDownLatch stopped = new CountDownLatch(1);
        final Path pid = pidFile;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.prepareForClose();
                node.close();
                node.awaitClose(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                try {
                    if (pid != null) Files.deleteIfExists(pid);
                } catch (Exception ignored) {
                    // best effort
                }
                stopped.countDown();
            }
        }, "tuxwatch-es-shutdown"));

        node.start();
        if (pid != null) {
            Files.createDirectories(pid.getParent());
            Files.writeString(pid, Long.toString(ProcessHandle.current().pid()));
        }
        Thread keepAlive = new Thread(() -> {
            try {
                stopped.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "tuxwatch-es-keepalive");
        keepAlive.setDaemon(false);
        keepAlive.start();
    }

    private static String required(String prop) {
        String v = System.getProperty(prop);
        if (v == null || v.isEmpty()) throw new IllegalArgumentException("missing -D" + prop);
        return v;
    }
}
