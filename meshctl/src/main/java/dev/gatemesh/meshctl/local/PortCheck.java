package dev.gatemesh.meshctl.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Before anything starts: every port the local mesh will listen on must be free, or the user hears which is not. */
final class PortCheck {

    private PortCheck() {
    }

    /** One line per port already in use, naming what wanted it and where it is declared. */
    static List<String> inUse(List<LocalComponent.PortUse> wanted) {
        List<String> problems = new ArrayList<>();
        for (LocalComponent.PortUse use : wanted) {
            if (!free(use.port())) {
                problems.add("port " + use.port() + " on 127.0.0.1 is already in use; it is " + use.describe()
                        + ". Stop what holds it (is another local mesh running? meshctl proxy-status) or change the port.");
            }
        }
        return problems;
    }

    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LocalPlanner.LOOPBACK, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
