package io.allowedami.simulator.protocol;

import java.util.function.Consumer;

/**
 * The two Query-protocol services the simulator speaks, each with its version, namespace and XML
 * envelopes.
 */
public enum AwsService {
  EC2("ec2", "2016-11-15", "http://ec2.amazonaws.com/doc/2016-11-15/") {
    @Override
    public String success(String action, String requestId, Consumer<XmlWriter> body) {
      XmlWriter xml =
          new XmlWriter().start(action + "Response", namespace()).element("requestId", requestId);
      body.accept(xml);
      return xml.end().toString();
    }

    @Override
    public String error(ApiException error, String requestId) {
      return new XmlWriter()
          .start("Response")
          .start("Errors")
          .start("Error")
          .element("Code", error.code())
          .element("Message", error.getMessage())
          .end()
          .end()
          .element("RequestID", requestId)
          .end()
          .toString();
    }
  },
  STS("sts", "2011-06-15", "https://sts.amazonaws.com/doc/2011-06-15/") {
    @Override
    public String success(String action, String requestId, Consumer<XmlWriter> body) {
      XmlWriter xml =
          new XmlWriter().start(action + "Response", namespace()).start(action + "Result");
      body.accept(xml);
      return xml.end()
          .start("ResponseMetadata")
          .element("RequestId", requestId)
          .end()
          .end()
          .toString();
    }

    @Override
    public String error(ApiException error, String requestId) {
      return new XmlWriter()
          .start("ErrorResponse", namespace())
          .start("Error")
          .element("Type", error.status() >= 500 ? "Receiver" : "Sender")
          .element("Code", error.code())
          .element("Message", error.getMessage())
          .end()
          .element("RequestId", requestId)
          .end()
          .toString();
    }
  };

  private final String signingName;
  private final String version;
  private final String namespace;

  AwsService(String signingName, String version, String namespace) {
    this.signingName = signingName;
    this.version = version;
    this.namespace = namespace;
  }

  public String signingName() {
    return signingName;
  }

  public String version() {
    return version;
  }

  public String namespace() {
    return namespace;
  }

  public abstract String success(String action, String requestId, Consumer<XmlWriter> body);

  public abstract String error(ApiException error, String requestId);
}
