package io.allowedami.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hand-made HTTP requests: malformed input gets EC2-style errors with the right codes, never a 200
 * or a crash.
 */
class RawProtocolTest {

  static final String EC2_AUTH =
      "AWS4-HMAC-SHA256 Credential="
          + SimulatorWorld.DEFAULT_ACCESS_KEY_ID
          + "/20251122/eu-west-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";
  static Ec2Simulator sim;
  static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    sim = Ec2Simulator.start(SimulatorWorld.defaultWorld(), 0);
    sim.faults().throttlingEnabled(false);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  static HttpResponse<String> post(String authorization, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(sim.endpoint())
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void assertEc2Error(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body())
        .contains("<Response><Errors><Error><Code>" + code + "</Code>")
        .contains("<RequestID>");
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Version=2016-11-15                                                   | 400 |"
            + " MissingAction",
        "Action=GetAllowedImagesSettings                                      | 400 |"
            + " MissingParameter",
        "Action=GetAllowedImagesSettings&Version=2010-01-01                   | 400 |"
            + " NoSuchVersion",
        "Action=TerminateInstances&Version=2016-11-15                         | 400 |"
            + " InvalidAction",
        "Action=GetAllowedImagesSettings&Version=2016-11-15&Bogus=1           | 400 |"
            + " UnknownParameter",
        "Action=GetAllowedImagesSettings&Version=2016-11-15&DryRun=maybe      | 400 |"
            + " InvalidParameterValue",
        "Action=GetAllowedImagesSettings&Version=2016-11-15&DryRun=true       | 412 |"
            + " DryRunOperation",
        "Action=GetAllowedImagesSettings&Version=2016-11-15&A=%zz             | 400 |"
            + " MalformedQueryString",
        "Action=GetAllowedImagesSettings&Action=GetAllowedImagesSettings      | 400 |"
            + " MalformedQueryString",
        "Action=EnableAllowedImagesSettings&Version=2016-11-15&AllowedImagesSettingsState=on | 400"
            + " | InvalidParameterValue",
        "Action=DescribeInstanceImageMetadata&Version=2016-11-15&MaxResults=ten | 400 |"
            + " InvalidParameterValue",
        "Action=DescribeInstanceImageMetadata&Version=2016-11-15&Filter.1.Value.1=x | 400 |"
            + " MissingParameter",
        "Action=DescribeInstanceImageMetadata&Version=2016-11-15&Filter.1.Name=image-allowed | 400"
            + " | InvalidParameterValue",
        "Action=DescribeInstanceImageMetadata&Version=2016-11-15&InstanceId.0=i-1 | 400 |"
            + " InvalidParameterValue",
        "Action=DescribeInstanceImageMetadata&Version=2016-11-15&InstanceId.99999999999=i-1 | 400 |"
            + " InvalidParameterValue",
        "Action=ReplaceImageCriteriaInAllowedImagesSettings&Version=2016-11-15&ImageCriterion.1.Bogus.1=x"
            + " | 400 | UnknownParameter",
        "Action=ReplaceImageCriteriaInAllowedImagesSettings&Version=2016-11-15&ImageCriterion.1.CreationDateCondition.MaximumDaysSinceCreated=soon"
            + " | 400 | InvalidParameterValue",
        "Action=ReplaceImageCriteriaInAllowedImagesSettings&Version=2016-11-15&ImageCriterion.1.ImageProvider.1=none&ImageCriterion.1.ImageProvider.2=amazon"
            + " | 400 | InvalidParameterValue",
        "Action=DescribeRegions&Version=2016-11-15&RegionName.1=mars-north-1 | 400 |"
            + " InvalidParameterValue",
      })
  void malformedRequestsGetEc2Errors(String body, int status, String code) throws Exception {
    assertEc2Error(post(EC2_AUTH, body.trim()), status, code);
  }

  @Test
  void oversizedListsAreInvalidParameterValue() throws Exception {
    String providers =
        IntStream.rangeClosed(1, 201)
            .mapToObj(i -> "ImageCriterion.1.ImageProvider." + i + "=" + String.format("%012d", i))
            .collect(Collectors.joining("&"));
    assertEc2Error(
        post(
            EC2_AUTH,
            "Action=ReplaceImageCriteriaInAllowedImagesSettings&Version=2016-11-15&" + providers),
        400,
        "InvalidParameterValue");
    String criteria =
        IntStream.rangeClosed(1, 11)
            .mapToObj(i -> "ImageCriterion." + i + ".ImageProvider.1=amazon")
            .collect(Collectors.joining("&"));
    assertEc2Error(
        post(
            EC2_AUTH,
            "Action=ReplaceImageCriteriaInAllowedImagesSettings&Version=2016-11-15&" + criteria),
        400,
        "InvalidParameterValue");
  }

  @Test
  void missingOrMalformedAuthorizationIsAuthFailure() throws Exception {
    String body = "Action=GetAllowedImagesSettings&Version=2016-11-15";
    assertEc2Error(post(null, body), 401, "AuthFailure");
    assertEc2Error(post("Bearer token", body), 401, "AuthFailure");
    assertEc2Error(post("AWS4-HMAC-SHA256 Credential=AKIA/garbage", body), 401, "AuthFailure");
  }

  @Test
  void aHugeBodyIsRejectedWithoutHanging() throws Exception {
    HttpResponse<String> response =
        post(
            EC2_AUTH,
            "Action=GetAllowedImagesSettings&Version=2016-11-15&X=" + "a".repeat(2 << 20));
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("RequestEntityTooLarge");
  }

  @Test
  void stsRequestsAreRecognisedByVersionAndAnswerInStsNamespace() throws Exception {
    String auth = EC2_AUTH.replace("/ec2/", "/sts/");
    HttpResponse<String> ok = post(auth, "Action=GetCallerIdentity&Version=2011-06-15");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body())
        .contains("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
        .contains("<Account>111122223333</Account>")
        .contains("<RequestId>");
    HttpResponse<String> error = post(auth, "Action=AssumeRole&Version=2011-06-15");
    assertThat(error.statusCode()).isEqualTo(400);
    assertThat(error.body())
        .contains("<ErrorResponse")
        .contains("<Type>Sender</Type>")
        .contains("<Code>MissingParameter</Code>");
  }

  @Test
  void messagesEchoingInputAreEscapedXml() throws Exception {
    HttpResponse<String> response =
        post(
            EC2_AUTH,
            "Action=DescribeInstanceImageMetadata&Version=2016-11-15&Filter.1.Name=%3C%26%01%3E&Filter.1.Value.1=x");
    assertEc2Error(response, 400, "InvalidParameterValue");
    assertThat(response.body()).contains("&lt;&amp;\uFFFD&gt;");
  }
}
