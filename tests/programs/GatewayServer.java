// A small Java server in the shape of Py4J's GatewayServer: a ServerSocket
// accepts connections and answers one-line commands from a Python client
// (gateway_client.py), one thread per connection. It knows nothing about
// glass: `glass run` puts its sockets there (tests/vm/programs).
//
//   java -cp DIR GatewayServer ADDRESS PORT
//
// Commands (one a line, answers one a line):
//   add A B       -> the sum
//   upper TEXT    -> TEXT in upper case
//   whoami        -> "local=<address> remote=<address>" as Java sees them
//   bye           -> "bye", then the server closes the connection
//   shutdown      -> "shutdown", then the server exits
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

public final class GatewayServer {
  private GatewayServer() {}

  public static void main(String[] args) throws Exception {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 16);
    System.out.println("listening " + server.getLocalSocketAddress());
    System.out.flush();
    while (true) {
      Socket s = server.accept();
      s.setTcpNoDelay(true);
      Thread t = new Thread(() -> serve(s, server));
      t.start();
    }
  }

  private static void serve(Socket s, ServerSocket server) {
    try (s;
        BufferedReader in = new BufferedReader(
            new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(
            new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] w = line.split(" ", 2);
        switch (w[0]) {
          case "add": {
            String[] n = w[1].split(" ");
            out.println(Long.parseLong(n[0]) + Long.parseLong(n[1]));
            break;
          }
          case "upper":
            out.println(w.length > 1 ? w[1].toUpperCase() : "");
            break;
          case "whoami":
            out.println("local=" + s.getLocalSocketAddress() + " remote="
                + s.getRemoteSocketAddress() + " nodelay=" + s.getTcpNoDelay());
            break;
          case "bye":
            out.println("bye");
            return;
          case "shutdown":
            out.println("shutdown");
            System.exit(0);
            break;
          default:
            out.println("error unknown command " + w[0]);
        }
      }
    } catch (Exception e) {
      System.err.println("GatewayServer: " + e);
    }
  }
}
