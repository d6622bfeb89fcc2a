package dev.keel.agent.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Slack-style incoming webhook on a local port. It records every attempt, and answers 503 to the
 * first attempts whose body mentions a marker a test registered with {@link #failFirst}.
 */
public final class WebhookReceiver {

    private final HttpServer server;
    private final List<String> attempts = new ArrayList<>();
    private final List<String> delivered = new ArrayList<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            boolean fail = false;
            synchronized (this) {
                attempts.add(body);
                for (Map.Entry<String, AtomicInteger> f : failures.entrySet()) {
                    if (body.contains(f.getKey()) && f.getValue().getAndDecrement() > 0) {
                        fail = true;
                    }
                }
                if (!fail) {
                    delivered.add(body);
                }
            }
            byte[] answer = (fail ? "unavailable" : "ok").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fail ? 503 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The next {@code times} attempts mentioning {@code marker} fail with 503. */
    public void failFirst(String marker, int times) {
        failures.put(marker, new AtomicInteger(times));
    }

    public synchronized List<String> attemptsMentioning(String marker) {
        return attempts.stream().filter(b -> b.contains(marker)).toList();
    }

    public synchronized List<String> deliveredMentioning(String marker) {
        return delivered.stream().filter(b -> b.contains(marker)).toList();
    }

    void stop() {
        server.stop(0);
    }
}
