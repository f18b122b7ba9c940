/*
 * Readiness probe for the local Kafka broker (scripts/stack/up.sh): retries Admin calls (describe cluster, list
 * topics, describe a consumer group) until they succeed or the deadline passes. Exit 0 when the broker answers,
 * 1 on timeout. Describing a group makes the broker create __consumer_offsets and load the group coordinator, so
 * the first consumer group of a test does not meet "coordinator not available / loading".
 *
 * Usage: java -cp 'LIB/*:CLASSES' KafkaReady <bootstrap> <timeoutSeconds>
 */
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

public final class KafkaReady {
    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:9092";
        long timeoutMs = TimeUnit.SECONDS.toMillis(args.length > 1 ? Long.parseLong(args[1]) : 120);
        long deadline = System.currentTimeMillis() + timeoutMs;

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "tuxwatch-stack-ready");

        Exception last = null;
        try (Admin admin = Admin.create(props)) {
            while (System.currentTimeMillis() < deadline) {
                try {
                    int nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                    Set<String> topics = admin.listTopics().names().get(5, TimeUnit.SECONDS);
                    try {
                        admin.describeConsumerGroups(List.of("tuxwatch-stack-ready")).all().get(5, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        // Kafka 4.x answers "group not found" for a group that never existed: the coordinator works
                        if (!(e.getCause() instanceof GroupIdNotFoundException)) throw e;
                    }
                    System.out.println("kafka ready: " + nodes + " broker(s), " + topics.size() + " topic(s)");
                    return;
                } catch (Exception e) {
                    last = e;
                    Thread.sleep(500);
                }
            }
        }
        System.err.println("kafka not ready after " + timeoutMs + " ms: " + last);
        System.exit(1);
    }
}
