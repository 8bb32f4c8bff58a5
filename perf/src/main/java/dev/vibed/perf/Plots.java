package dev.vibed.perf;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's two PNG plots, drawn with the JDK's own imaging (headless AWT), so the benchmark needs no plotting
 * tool: deploy latency per template against the bare boot, and the latency CDF of parallel deploys.
 */
final class Plots {
    private static final int W = 720;
    private static final int H = 400;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final Color[] SERIES = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};

    private Plots() {
    }

    static void deployBars(Map<String, Stats> deploy, Map<String, Stats> bare, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, "Deploy to URL vs bare boot (ms)");
        double max = 1;
        for (String t : deploy.keySet()) {
            max = Math.max(max, Math.max(deploy.get(t).p(90), bare.get(t).p50()));
        }
        max = niceCeiling(max);
        axes(g, max, "ms");
        String[] labels = {"bare boot p50", "deploy p50", "deploy p90"};
        int groups = deploy.size();
        int groupWidth = (W - LEFT - RIGHT) / Math.max(1, groups);
        int bar = groupWidth / 5;
        int i = 0;
        for (Map.Entry<String, Stats> e : deploy.entrySet()) {
            double[] values = {bare.get(e.getKey()).p50(), e.getValue().p50(), e.getValue().p(90)};
            int x0 = LEFT + i * groupWidth + bar;
            for (int k = 0; k < values.length; k++) {
                int h = (int) (values[k] / max * (H - TOP - BOTTOM));
                g.setColor(SERIES[k]);
                g.fillRect(x0 + k * bar, H - BOTTOM - h, bar - 4, h);
            }
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), x0 + bar, H - BOTTOM + 18);
            i++;
        }
        legend(g, labels);
        ImageIO.write(img, "png", file.toFile());
    }

    static void parallelCdf(Map<Integer, Stats> parallel, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, "Parallel deploys: share done by time (CDF)");
        double max = 1;
        for (Stats s : parallel.values()) {
            max = Math.max(max, s.p(100));
        }
        max = niceCeiling(max);
        // y axis is the fraction 0..1; x axis the latency
        g.setColor(Color.GRAY);
        g.drawLine(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM);
        g.drawLine(LEFT, TOP, LEFT, H - BOTTOM);
        for (int k = 0; k <= 4; k++) {
            int y = H - BOTTOM - k * (H - TOP - BOTTOM) / 4;
            g.drawString(String.format(Locale.ROOT, "%.2f", k / 4.0), 20, y + 4);
            int x = LEFT + k * (W - LEFT - RIGHT) / 4;
            g.drawString(String.format(Locale.ROOT, "%.0f ms", max * k / 4), x - 15, H - BOTTOM + 18);
        }
        List<String> labels = new ArrayList<>();
        int i = 0;
        g.setStroke(new BasicStroke(2f));
        for (Map.Entry<Integer, Stats> e : parallel.entrySet()) {
            List<Double> xs = e.getValue().sorted();
            g.setColor(SERIES[i % SERIES.length]);
            int px = LEFT;
            int py = H - BOTTOM;
            for (int k = 0; k < xs.size(); k++) {
                int x = LEFT + (int) (xs.get(k) / max * (W - LEFT - RIGHT));
                int y = H - BOTTOM - (int) ((k + 1) / (double) xs.size() * (H - TOP - BOTTOM));
                g.drawLine(px, py, x, py);
                g.drawLine(x, py, x, y);
                px = x;
                py = y;
            }
            labels.add(e.getKey() + " at once");
            i++;
        }
        legend(g, labels.toArray(String[]::new));
        ImageIO.write(img, "png", file.toFile());
    }

    /** Latency against the number of apps: deploy p50 and p90 and the route stage, one point per N. */
    static void scaleLines(Map<Integer, ScaleBench.Point> points, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, "Latency against the number of apps deployed (ms)");
        double max = 1;
        for (ScaleBench.Point p : points.values()) {
            max = Math.max(max, p.deployMs().p(90));
        }
        max = niceCeiling(max);
        axes(g, max, "ms");
        List<ScaleBench.Point> list = new ArrayList<>(points.values());
        int step = (W - LEFT - RIGHT) / Math.max(1, list.size());
        g.setStroke(new BasicStroke(2f));
        String[] labels = {"deploy p50", "deploy p90", "route (mean)"};
        for (int k = 0; k < labels.length; k++) {
            int px = -1;
            int py = -1;
            for (int i = 0; i < list.size(); i++) {
                ScaleBench.Point p = list.get(i);
                double v = k == 0 ? p.deployMs().p50() : k == 1 ? p.deployMs().p(90) : p.routeMeanMs();
                int x = LEFT + step / 2 + i * step;
                int y = H - BOTTOM - (int) ((Double.isNaN(v) ? 0 : v) / max * (H - TOP - BOTTOM));
                g.setColor(SERIES[k]);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
                if (k == 0) {
                    g.setColor(Color.BLACK);
                    g.drawString(p.apps() + " apps", x - 20, H - BOTTOM + 18);
                }
            }
        }
        legend(g, labels);
        ImageIO.write(img, "png", file.toFile());
    }

    private static Graphics2D canvas(BufferedImage img, String title) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 22);
        return g;
    }

    private static void axes(Graphics2D g, double max, String unit) {
        g.setColor(Color.GRAY);
        g.drawLine(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM);
        g.drawLine(LEFT, TOP, LEFT, H - BOTTOM);
        for (int k = 0; k <= 4; k++) {
            int y = H - BOTTOM - k * (H - TOP - BOTTOM) / 4;
            g.drawLine(LEFT - 4, y, LEFT, y);
            g.drawString(String.format(Locale.ROOT, "%.0f", max * k / 4), 10, y + 4);
        }
        g.drawString(unit, 10, TOP - 8);
    }

    private static void legend(Graphics2D g, String[] labels) {
        int x = W - RIGHT - 170;
        for (int k = 0; k < labels.length; k++) {
            g.setColor(SERIES[k % SERIES.length]);
            g.fillRect(x, TOP + k * 18, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(labels[k], x + 18, TOP + 11 + k * 18);
        }
    }

    private static double niceCeiling(double v) {
        double step = Math.pow(10, Math.floor(Math.log10(v)));
        return Math.ceil(v / step) * step;
    }
}
