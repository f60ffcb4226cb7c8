package org.millrace.serving;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.stream.Materializer;
import org.millrace.serving.internal.ApiRoutes;

/**
 * The OpenAI-compatible HTTP API on pekko-http, generating with a {@link GenerationEngine} from the
 * model in a {@link ModelSlot}. Binds to {@code millrace.serving.host} (127.0.0.1 by default).
 */
public final class OpenAiServer implements AutoCloseable {
    private static final String IDLE_TIMEOUT = "millrace.serving.http.idle-timeout";
    private final ActorSystem<Void> system;
    private final GenerationEngine engine;
    private final ServerBinding binding;

    private OpenAiServer(ActorSystem<Void> system, GenerationEngine engine, ServerBinding binding) {
        this.system = system;
        this.engine = engine;
        this.binding = binding;
    }

    /**
     * Starts the server and returns once it listens.
     *
     * @param config the root configuration (pekko settings come from it)
     * @throws IllegalStateException naming the address if it cannot bind
     */
    public static OpenAiServer start(ServingSettings settings, ModelSlot slot, Config config) {
        Map<String, Object> timeouts = new HashMap<>();
        timeouts.put("pekko.http.server.request-timeout", settings.requestTimeout().toMillis() + " ms");
        if (!config.hasPath(IDLE_TIMEOUT)) {
            // a non-streamed answer sends no byte until it is complete: the connection must outlive the request
            timeouts.put("pekko.http.server.idle-timeout", Math.max(60_000, settings.requestTimeout().toMillis()) + " ms");
        }
        Config withTimeout = ConfigFactory.parseMap(timeouts)
                .withFallback(httpLimits(config))
                .withFallback(config);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "millrace-serving", withTimeout);
        GenerationEngine engine = new GenerationEngine(settings);
        try {
            Materializer materializer = Materializer.matFromSystem(system);
            ApiRoutes routes = new ApiRoutes(settings, slot, engine, materializer);
            ServerBinding binding = Http.get(system).newServerAt(settings.host(), settings.port())
                    .bind(routes::handle).toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new OpenAiServer(system, engine, binding);
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            engine.close();
            system.terminate();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot serve on " + settings.host() + ":" + settings.port()
                    + " (millrace.serving.host / port, --port): " + cause.getMessage(), cause);
        }
    }

    /**
     * {@code millrace.serving.http} placed over {@code pekko.http.server}: the server's connection and parsing
     * limits, whatever order the reference.conf files of the class path come in.
     */
    static Config httpLimits(Config config) {
        String key = "millrace.serving.http";
        return config.hasPath(key) ? config.getConfig(key).atPath("pekko.http.server") : ConfigFactory.empty();
    }

    /** The address bound (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return binding.localAddress();
    }

    /** {@code http://host:port}. */
    public String baseUrl() {
        InetSocketAddress a = address();
        return "http://" + a.getHostString() + ":" + a.getPort();
    }

    public GenerationEngine engine() {
        return engine;
    }

    /** Stops accepting, fails what is still generating, and stops the actor system. */
    @Override
    public void close() {
        try {
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // stopping anyway
        }
        engine.close();
        binding.terminate(Duration.ofSeconds(3));
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the JVM may be exiting
        }
    }
}
