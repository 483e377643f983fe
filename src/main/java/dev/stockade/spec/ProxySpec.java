package dev.stockade.spec;

import dev.stockade.net.PortRange;
import dev.stockade.net.Protocol;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The spec's {@code proxy:} section: NGINX in front of the services, so backends never face the
 * network. It runs on {@link #nodes} (every node when empty) in a container whose image is pinned
 * by digest, listens on {@link #HTTP} and, with TLS, {@link #HTTPS}, and forwards each route to an
 * upstream on the node's loopback or a private address.
 *
 * @param tls how HTTPS is served: not at all, with a certificate from the cluster CA, or with files
 *     already on the node
 * @param from who may reach the proxy's ports (the firewall opens them to exactly these)
 * @param limits the largest request body and the longest wait for an upstream
 */
public record ProxySpec(
        String image,
        Tls tls,
        List<SourceRef> from,
        List<String> nodes,
        List<Route> routes,
        Limits limits,
        SourceSpan span) {

    /** The name of the proxy's certificate in the PKI ({@code proxy.tls: internal}): proxy.pem, proxy-key.pem. */
    public static final String CERT_NAME = "proxy";

    /** The port the proxy answers HTTP on (a redirect to HTTPS when TLS is on). */
    public static final int HTTP = 80;
    /** The port the proxy answers HTTPS on, with TLS. */
    public static final int HTTPS = 443;

    public ProxySpec {
        from = List.copyOf(from);
        nodes = List.copyOf(nodes);
        routes = List.copyOf(routes);
    }

    /**
     * Request limits.
     *
     * @param body the largest request body, in NGINX's size syntax ({@code 10m}, {@code 512k})
     * @param upstreamSeconds how long the proxy waits on an upstream to read or send
     */
    public record Limits(String body, int upstreamSeconds) {
        /** 10 MiB bodies, one minute for an upstream. */
        public static final Limits DEFAULT = new Limits("10m", 60);
    }

    /** How the proxy gets its certificate. */
    public sealed interface Tls {}

    /** Plain HTTP only. */
    public record Off() implements Tls {}

    /** A certificate for every route's host, issued by the cluster CA ({@code tls: internal}). */
    public record Internal() implements Tls {}

    /** A certificate and key already on the node (or placed there by other means), at these paths. */
    public record Files(String cert, String key) implements Tls {}

    /**
     * A route: requests for {@code host} whose path begins with {@code path} go to {@code upstream}.
     *
     * @param from who may use the route (NGINX allows only them); empty means everyone the proxy
     *     admits
     */
    public record Route(String host, String path, Upstream upstream, List<SourceRef> from, SourceSpan span) {

        public Route {
            from = List.copyOf(from);
        }
    }

    /** Where a route's requests go: an address on the node's loopback or a private network, and a port. */
    public record Upstream(String address, int port) {

        /** As NGINX writes it: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
        @Override
        public String toString() {
            return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
        }
    }

    public boolean tlsOn() {
        return !(tls instanceof Off);
    }

    public boolean runsOn(String node) {
        return nodes.isEmpty() || nodes.contains(node);
    }

    /** The host names of the routes, in spec order, each once. */
    public List<String> hosts() {
        List<String> out = new ArrayList<>();
        routes.forEach(r -> {
            if (!out.contains(r.host())) {
                out.add(r.host());
            }
        });
        return out;
    }

    /**
     * The proxy's ports as services, so the firewall, the build's proof and every check see them as
     * they see any other opening: {@code proxy-http} always, {@code proxy-https} with TLS.
     */
    public List<ServiceSpec> services() {
        List<ServiceSpec> out = new ArrayList<>();
        out.add(service("proxy-http", HTTP));
        if (tlsOn()) {
            out.add(service("proxy-https", HTTPS));
        }
        return out;
    }

    private ServiceSpec service(String name, int port) {
        return new ServiceSpec(
                name, Set.of(Protocol.TCP), List.of(PortRange.of(port)), from, nodes, Optional.empty(), span);
    }
}
