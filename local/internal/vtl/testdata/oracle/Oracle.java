import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import java.io.*;
import java.nio.file.*;
import java.util.*;

// Oracle records what Apache Velocity 1.7 renders for each case of a golden file (see
// regenerate.sh). It reads cases ("=== name", then "--- setup", "--- template" and
// optional "--- note", "--- ours", "--- ours-error" sections), runs the setup and then the
// template in one context, and rewrites the case's "--- want" (the output) or "--- error"
// (the exception's class) section. Sections end at the next line starting with "--- " or
// "=== "; the newline before that line is not part of the content.
public class Oracle {
    public static void main(String[] args) throws Exception {
        String in = new String(Files.readAllBytes(Paths.get(args[0])), "UTF-8");
        VelocityEngine ve = new VelocityEngine();
        ve.setProperty("runtime.log.logsystem.class", "org.apache.velocity.runtime.log.NullLogChute");
        ve.setProperty("directive.foreach.maxloops", "1000");
        ve.init();
        StringBuilder out = new StringBuilder();
        String[] cases = in.split("(?m)^=== ", -1);
        out.append(cases[0]);
        for (int i = 1; i < cases.length; i++) {
            String c = cases[i];
            int nl = c.indexOf('\n');
            String name = c.substring(0, nl);
            Map<String,String> sec = new LinkedHashMap<>();
            String rest = c.substring(nl + 1);
            String[] parts = rest.split("(?m)^--- ", -1);
            for (int j = 1; j < parts.length; j++) {
                String p = parts[j];
                int n2 = p.indexOf('\n');
                String key = p.substring(0, n2);
                String val = p.substring(n2 + 1);
                if (val.endsWith("\n")) val = val.substring(0, val.length() - 1);
                sec.put(key, val);
            }
            out.append("=== ").append(name).append('\n');
            String setup = sec.getOrDefault("setup", null);
            String tmpl = sec.get("template");
            if (setup != null) out.append("--- setup\n").append(setup).append('\n');
            out.append("--- template\n").append(tmpl).append('\n');
            for (String keep : new String[]{"note", "ours", "ours-error"}) {
                if (sec.containsKey(keep)) out.append("--- ").append(keep).append('\n').append(sec.get(keep)).append('\n');
            }
            VelocityContext ctx = new VelocityContext();
            try {
                if (setup != null) ve.evaluate(ctx, new StringWriter(), "setup", setup);
                StringWriter w = new StringWriter();
                ve.evaluate(ctx, w, "t", tmpl);
                out.append("--- want\n").append(w.toString()).append('\n');
            } catch (Exception e) {
                String m = e.getClass().getSimpleName();
                out.append("--- error\n").append(m).append('\n');
            }
        }
        System.out.print(out);
    }
}
