package dev.gatemesh.proxy.listener;

import dev.gatemesh.proxy.route.RouteTable;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps a proxy from serving requests addressed to itself. A request for this host's address (a loopback or any-local
 * address, {@code localhost}, or an address of one of its interfaces; never a name that needs DNS) on one of the
 * proxy's own listener ports would loop through it until descriptors run out; on a protected port (the management
 * port, in local mode the config server's) it would hand mesh traffic an admin endpoint. Both are refused at once.
 * A loop through a name that resolves to this host is caught the second time round: every request the proxy sends on
 * as addressed carries a mark ({@value #LOOP_HEADER}) with a value only this proxy knows.
 */
public final class SelfTraffic {

    public static final String LOOP_HEADER = "x-gatemesh-loop";

    private final Set<Integer> listenerPorts;
    private final Set<Integer> protectedPorts;
    private final String mark;
    private final Set<InetAddress> localAddresses;

    /**
     * @param listenerPorts  the proxy's own listener ports
     * @param protectedPorts ports on this host that are not served to mesh traffic (management)
     * @param mark           this proxy's loop mark: random, unguessable by apps
     */
    public SelfTraffic(Set<Integer> listenerPorts, Set<Integer> protectedPorts, String mark) {
        this.listenerPorts = Set.copyOf(listenerPorts);
        this.protectedPorts = Set.copyOf(protectedPorts);
        this.mark = mark;
        this.localAddresses = interfaceAddresses();
    }

    /** A request refused: 508 (Loop Detected) for a loop, 403 for a protected port. */
    public record Refusal(int status, String reason) {
    }

    /** Why the request is refused, or null when it is not addressed to this proxy. */
    public Refusal refusal(String authority, int port, HttpHeaders headers) {
        if (headers.containsValue(LOOP_HEADER, mark, false)) {
            return new Refusal(508, "the request came back to the proxy that sent it (" + authority + " leads to this "
                    + "proxy's own listener): refused, not looped");
        }
        if (!listenerPorts.contains(port) && !protectedPorts.contains(port)) {
            return null;
        }
        if (!isThisHost(RouteTable.hostPart(authority))) {
            return null;
        }
        return protectedPorts.contains(port)
                ? new Refusal(403, "the request is addressed to port " + port + " of this host, a management port that is "
                        + "not served to mesh traffic")
                : new Refusal(508, "the request is addressed to this proxy's own listener (" + authority + "): refused, "
                        + "not looped");
    }

    /** Marks a request the proxy sends on as addressed. */
    public void mark(HttpHeaders headers) {
        headers.set(LOOP_HEADER, mark);
    }

    private boolean isThisHost(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.equals("localhost") || lower.endsWith(".localhost")) {
            return true;
        }
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal == null) {
            literal = legacyIpv4(host);
        }
        if (literal == null) {
            return false; // a name: never resolved here
        }
        try {
            InetAddress address = InetAddress.getByAddress(literal);
            return address.isLoopbackAddress() || address.isAnyLocalAddress() || localAddresses.contains(address);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The address of an IPv4 literal in the forms resolvers still accept (inet_aton: {@code 127.1},
     * {@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1}), or null when the host is not one.
     */
    static byte[] legacyIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = number(parts[i]);
            if (values[i] < 0) {
                return null;
            }
        }
        long last = values[parts.length - 1];
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                return null;
            }
            address |= values[i] << (24 - 8 * i);
        }
        int lastBits = 8 * (5 - parts.length);
        if (last >= (1L << lastBits)) {
            return null;
        }
        address |= last;
        return new byte[] {(byte) (address >> 24), (byte) (address >> 16), (byte) (address >> 8), (byte) address};
    }

    /** A decimal, octal (leading 0) or hexadecimal (0x) number, or -1. */
    private static long number(String text) {
        try {
            if (text.isEmpty() || text.length() > 12) {
                return -1;
            }
            if (text.startsWith("0x") || text.startsWith("0X")) {
                return text.length() == 2 ? -1 : Long.parseLong(text.substring(2), 16);
            }
            if (text.length() > 1 && text.startsWith("0")) {
                return Long.parseLong(text.substring(1), 8);
            }
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Set<InetAddress> interfaceAddresses() {
        Set<InetAddress> addresses = new HashSet<>();
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                addresses.addAll(Collections.list(network.getInetAddresses()));
            }
        } catch (SocketException e) {
            // no interface list: loopback and any-local are still recognised
        }
        return Set.copyOf(addresses);
    }
}
