package dev.keel.inference.log;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay in front of PostgreSQL that a test can cut and restore: while cut, open
 * connections are reset and new ones refused, which is what a client sees of a database restart.
 * It can also swallow everything while keeping every connection open, which is what a client sees
 * when the database's host or the route to it vanishes without a word (a failover, a dropped link).
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile boolean swallowing;
    private int port;

    TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        listen(0);
    }

    int port() {
        return port;
    }

    /** Resets every relayed connection and refuses new ones. */
    synchronized void cut() throws IOException {
        server.close();
        for (Socket s : sockets) {
            reset(s);
        }
        sockets.clear();
    }

    /**
     * Closes with a reset, not a FIN: a peer that keeps its end open (a login still waiting through
     * a swallowed connection) would otherwise hold this side in FIN_WAIT_2 on the relay's port,
     * and {@link #restore()} could not listen there again.
     */
    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        closeQuietly(s);
    }

    /** Keeps every connection open and relays nothing either way (until {@link #cut()}). */
    void swallow() {
        swallowing = true;
    }

    /** Accepts connections again, on the same port. */
    synchronized void restore() throws IOException {
        swallowing = false;
        listen(port);
    }

    private void listen(int onPort) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        // the kernel may take a moment to let go of the port's last connections
        for (int attempt = 1; ; attempt++) {
            try {
                s.bind(new InetSocketAddress("127.0.0.1", onPort));
                break;
            } catch (java.net.BindException e) {
                if (attempt == 50) {
                    s.close();
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    s.close();
                    throw e;
                }
            }
        }
        server = s;
        port = s.getLocalPort();
        Thread acceptor = new Thread(() -> acceptLoop(s), "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                // under the lock cut() takes: a connection accepted as it cuts is closed, not left holding the port
                synchronized (this) {
                    if (s.isClosed()) {
                        reset(client);
                        reset(upstream);
                        return;
                    }
                    sockets.add(client);
                    sockets.add(upstream);
                }
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed by cut(): stop accepting
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!swallowing) {
                        out.write(buffer, 0, n);
                    }
                }
            } catch (SocketException e) {
                // a cut or a close on the other side
            } catch (IOException e) {
                // same: the relay ends with either socket
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
