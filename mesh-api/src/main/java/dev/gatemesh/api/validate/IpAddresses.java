package dev.gatemesh.api.validate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Parses IP literals and CIDR blocks without ever touching DNS. */
public final class IpAddresses {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpAddresses() {
    }

    public static boolean isIp(String text) {
        return isIpv4(text) || isIpv6(text);
    }

    public static boolean isIpv4(String text) {
        var m = IPV4.matcher(text);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            String octet = m.group(i);
            // 010.0.0.1: octal to some parsers, decimal to others; Istio's (Go netip) rejects it, so do we.
            if (Integer.parseInt(octet) > 255 || (octet.length() > 1 && octet.startsWith("0"))) {
                return false;
            }
        }
        return true;
    }

    public static boolean isIpv6(String text) {
        if (!text.contains(":") || !IPV6_CHARS.matcher(text).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(text); // a literal with ':' is parsed, never resolved
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An address or an address/prefix-length block. */
    public static boolean isIpOrCidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return isIp(text);
        }
        String address = text.substring(0, slash);
        String bits = text.substring(slash + 1);
        if (!bits.matches("\\d{1,3}")) {
            return false;
        }
        int prefix = Integer.parseInt(bits);
        if (isIpv4(address)) {
            return prefix <= 32;
        }
        return isIpv6(address) && prefix <= 128;
    }
}
