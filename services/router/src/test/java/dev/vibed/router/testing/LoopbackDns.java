package dev.vibed.router.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays the cluster DNS for Caddy's {@code dynamic a} upstreams: a UDP server on loopback that answers A queries
 * for the names it was told (per-app Service names) and NXDOMAIN for every other name, as CoreDNS does for a
 * Service that does not exist. Only what Go's resolver sends is understood: one question, no EDNS needed.
 */
public final class LoopbackDns implements AutoCloseable {
    private static final int TTL_SECONDS = 5;

    private final DatagramSocket socket;
    private final Map<String, InetAddress> records = new ConcurrentHashMap<>();
    private final AtomicLong queries = new AtomicLong();
    private final Thread loop;

    public LoopbackDns() {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        loop = Thread.ofPlatform().daemon().name("loopback-dns").start(this::serve);
    }

    /** What Caddy's resolver setting names: {@code udp/127.0.0.1:<port>}. */
    public String address() {
        return "udp/127.0.0.1:" + socket.getLocalPort();
    }

    public void put(String name, InetAddress address) {
        records.put(normalize(name), address);
    }

    public void remove(String name) {
        records.remove(normalize(name));
    }

    public long queries() {
        return queries.get();
    }

    private static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private void serve() {
        byte[] buffer = new byte[1500];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] answer = answer(ByteBuffer.wrap(packet.getData(), 0, packet.getLength()));
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private byte[] answer(ByteBuffer query) {
        queries.incrementAndGet();
        if (query.remaining() < 12) {
            return null;
        }
        short id = query.getShort(0);
        int questions = Short.toUnsignedInt(query.getShort(4));
        if (questions != 1) {
            return null;
        }
        query.position(12);
        StringBuilder name = new StringBuilder();
        int length;
        while ((length = Byte.toUnsignedInt(query.get())) != 0) {
            byte[] label = new byte[length];
            query.get(label);
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(label, java.nio.charset.StandardCharsets.US_ASCII));
        }
        int type = Short.toUnsignedInt(query.getShort());
        query.getShort(); // class IN
        int questionEnd = query.position();
        InetAddress address = records.get(normalize(name.toString()));
        boolean a = type == 1 && address != null && address.getAddress().length == 4;
        // The name exists (NOERROR, no records) when asked for AAAA, so Go does not treat the A answer as partial.
        int rcode = address == null ? 3 : 0;
        ByteBuffer out = ByteBuffer.allocate(questionEnd + (a ? 16 : 0));
        out.putShort(id);
        out.putShort((short) (0x8400 | 0x0100 | 0x0080 | rcode)); // response, authoritative, RD copied, RA
        out.putShort((short) 1);
        out.putShort((short) (a ? 1 : 0));
        out.putShort((short) 0);
        out.putShort((short) 0);
        out.put(query.array(), query.arrayOffset() + 12, questionEnd - 12);
        if (a) {
            out.putShort((short) 0xc00c); // pointer to the question's name
            out.putShort((short) 1);
            out.putShort((short) 1);
            out.putInt(TTL_SECONDS);
            out.putShort((short) 4);
            out.put(address.getAddress());
        }
        return out.array();
    }

    @Override
    public void close() {
        socket.close();
        try {
            loop.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
