package org.millrace.ops.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.millrace.common.Json;

/**
 * The live dashboard: {@code GET /dashboard} serves a page whose charts follow a run through
 * server-sent events ({@code /dashboard/events}: the history once, then a tick per sample). Its chart
 * library (Chart.js) is the webjar on the class path, served from {@code /dashboard/lib/}; nothing comes
 * from elsewhere.
 *
 * <p>Served by the JDK's {@code com.sun.net.httpserver}: the Prometheus exporter of ops runs on it
 * already, it needs no actor system (the page works in any process that has a registry), and an event
 * stream is a plain long response. Each open event stream holds one thread of a small pool.
 *
 * <p>With a token set, every request carries it as {@code Authorization: Bearer <token>}, as the
 * {@code millrace_dashboard_token} cookie, or once as {@code ?token=} (which sets that cookie, so a browser
 * can open the page from a link).
 */
public final class DashboardServer implements AutoCloseable {
    static final int MAX_STREAMS = 16;
    private static final String COOKIE = "millrace_dashboard_token";
    private static final String RESOURCES = "org/millrace/ops/dashboard/";
    private static final String CHART_JS_POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

    private final HttpServer server;
    private final ExecutorService executor;
    private final DashboardFeed feed;
    private final byte[] token;
    private final String chartJsDir;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    private volatile boolean open = true;

    private DashboardServer(HttpServer server, ExecutorService executor, DashboardFeed feed, String token, String chartJsDir) {
        this.server = server;
        this.executor = executor;
        this.feed = feed;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.chartJsDir = chartJsDir;
    }

    /**
     * Serves the dashboard of {@code feed} on {@code settings.host():settings.port()}.
     *
     * @throws UncheckedIOException when the address cannot be bound (the message names the setting)
     */
    public static DashboardServer start(DashboardSettings settings, DashboardFeed feed) {
        String chartJsDir = chartJsDir();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the dashboard on " + settings.host() + ":" + settings.port()
                    + " (millrace.dashboard.host / millrace.dashboard.port): " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "millrace-dashboard-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        DashboardServer dashboard = new DashboardServer(server, executor, feed, settings.token(), chartJsDir);
        server.createContext("/", dashboard::handle);
        server.start();
        return dashboard;
    }

    /** The page's address. */
    public URI address() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort() + "/dashboard");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                send(ex, 405, "text/plain", "only GET\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (path.equals("/")) {
                ex.getResponseHeaders().set("Location", "/dashboard");
                ex.sendResponseHeaders(302, -1);
                return;
            }
            if (!authorized(ex)) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"millrace dashboard\"");
                send(ex, 401, "text/plain", ("the dashboard needs its token (the environment variable named by "
                        + "millrace.dashboard.token-env, MILLRACE_DASHBOARD_TOKEN by default, or millrace.dashboard.token)\n")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            switch (path) {
                case "/dashboard", "/dashboard/" -> resource(ex, RESOURCES + "index.html", "text/html; charset=utf-8");
                case "/dashboard/dashboard.js" -> resource(ex, RESOURCES + "dashboard.js", "text/javascript; charset=utf-8");
                case "/dashboard/dashboard.css" -> resource(ex, RESOURCES + "dashboard.css", "text/css; charset=utf-8");
                case "/dashboard/lib/chart.umd.js" -> resource(ex, chartJsDir + "chart.umd.js", "text/javascript; charset=utf-8");
                case "/dashboard/lib/chart.umd.js.map" -> resource(ex, chartJsDir + "chart.umd.js.map", "application/json");
                case "/dashboard/history" -> send(ex, 200, "application/json", Json.write(feed.history()));
                case "/dashboard/events" -> events(ex);
                default -> send(ex, 404, "text/plain", ("no " + path + " here; the dashboard is at /dashboard\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private boolean authorized(HttpExchange ex) {
        if (token.length == 0) {
            return true;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.startsWith("Bearer ") && matches(auth.substring(7).trim())) {
            return true;
        }
        for (String cookies : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String c : cookies.split(";")) {
                String[] kv = c.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals(COOKIE) && matches(kv[1])) {
                    return true;
                }
            }
        }
        String query = ex.getRequestURI().getQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("token=") && matches(pair.substring(6))) {
                    ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + pair.substring(6)
                            + "; Path=/dashboard; HttpOnly; SameSite=Strict");
                    return true;
                }
            }
        }
        return false;
    }

    private boolean matches(String candidate) {
        return MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    private static void resource(HttpExchange ex, String name, String type) throws IOException {
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                send(ex, 404, "text/plain", ("missing resource " + name + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(ex, 200, type, in.readAllBytes());
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Content-Security-Policy", CSP);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    /** One event stream: the history, then every tick, until the page goes away or the server stops. */
    private void events(HttpExchange ex) throws IOException {
        if (!streams.tryAcquire()) {
            send(ex, 503, "text/plain", ("at most " + MAX_STREAMS + " open dashboards\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(64);
        Consumer<Tick> subscriber = tick -> {
            if (!queue.offer(event("tick", Json.writeString(tick)))) {
                queue.clear(); // a page that cannot keep up misses ticks, the feed never waits for it
            }
        };
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            feed.subscribe(subscriber);
            write(out, "retry: 2000\n\n" + event("history", Json.writeString(feed.history())));
            long lastWrite = System.nanoTime();
            while (open) {
                String next = queue.poll(500, TimeUnit.MILLISECONDS);
                if (next != null) {
                    write(out, next);
                    lastWrite = System.nanoTime();
                } else if (System.nanoTime() - lastWrite > 15_000_000_000L) {
                    write(out, ": keep-alive\n\n");
                    lastWrite = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException pageWentAway) {
            // the browser closed the stream
        } finally {
            feed.unsubscribe(subscriber);
            streams.release();
        }
    }

    private static String event(String name, String json) {
        return "event: " + name + "\ndata: " + json + "\n\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Where the Chart.js webjar keeps its browser build, from the webjar's own POM properties. */
    static String chartJsDir() {
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(CHART_JS_POM)) {
            if (in == null) {
                throw new IllegalStateException("the Chart.js webjar (org.webjars.npm:chart.js) is not on the class path");
            }
            Properties p = new Properties();
            p.load(in);
            return "META-INF/resources/webjars/chart.js/" + p.getProperty("version") + "/dist/";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CHART_JS_POM, e);
        }
    }

    @Override
    public void close() {
        open = false;
        server.stop(0);
        executor.shutdownNow();
    }
}
