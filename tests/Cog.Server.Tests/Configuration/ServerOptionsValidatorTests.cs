using Cog.Server.Configuration;

namespace Cog.Server.Tests.Configuration;

public sealed class ServerOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(ServerOptionsValidator.Validate(new ServerOptions()));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_naming_the_setting_and_how_to_set_it()
    {
        var options = new ServerOptions
        {
            Database = new DatabaseOptions { Provider = "oracle" },
            Broker = new BrokerOptions { Embedded = false },
            Api = new ApiOptions { Urls = "ftp://x" },
            Pipeline = new PipelineOptions { TimeoutSeconds = 0 },
        };
        options.Bootstrap.Username = "admin";

        var errors = ServerOptionsValidator.Validate(options);

        Assert.Equal(
        [
            "Cog:Database:Provider must be 'sqlite' or 'postgres', not 'oracle': set it in appsettings.json, as the environment variable Cog__Database__Provider or as the switch --Cog:Database:Provider=...",
            "Cog:Broker:Url must be mqtt://host[:port] or mqtts://host[:port] when the embedded broker is off: set it in appsettings.json, as the environment variable Cog__Broker__Url or as the switch --Cog:Broker:Url=...",
            "Cog:Broker:UserName is required when the embedded broker is off: set it in appsettings.json, as the environment variable Cog__Broker__UserName or as the switch --Cog:Broker:UserName=...",
            "Cog:Broker:Password or Cog:Broker:PasswordFile (exactly one) is required when the embedded broker is off: set it in appsettings.json, as the environment variable Cog__Broker__Password or as the switch --Cog:Broker:Password=...",
            "Cog:Api:Urls 'ftp://x' is not an http:// or https:// URL: set it in appsettings.json, as the environment variable Cog__Api__Urls or as the switch --Cog:Api:Urls=...",
            "Cog:Pipeline:TimeoutSeconds must be between 1 and 86400, not 0: set it in appsettings.json, as the environment variable Cog__Pipeline__TimeoutSeconds or as the switch --Cog:Pipeline:TimeoutSeconds=...",
            "Cog:Bootstrap needs all of Username, Password, EmailAddress, FirstName and LastName, or none: set it in appsettings.json, as the environment variable Cog__Bootstrap or as the switch --Cog:Bootstrap=...",
        ], errors);
    }

    [Fact]
    public void The_telemetry_endpoint_must_be_an_http_url_and_the_protocol_one_of_the_two_otlp_protocols()
    {
        var options = new ServerOptions { Telemetry = { OtlpEndpoint = "collector:4317", OtlpProtocol = "http/json" } };

        Assert.Equal(
        [
            "Cog:Telemetry:OtlpEndpoint 'collector:4317' is not an http:// or https:// URL: set it in appsettings.json, as the environment variable Cog__Telemetry__OtlpEndpoint or as the switch --Cog:Telemetry:OtlpEndpoint=...",
            "Cog:Telemetry:OtlpProtocol must be 'grpc' or 'http/protobuf', not 'http/json': set it in appsettings.json, as the environment variable Cog__Telemetry__OtlpProtocol or as the switch --Cog:Telemetry:OtlpProtocol=...",
        ], ServerOptionsValidator.Validate(options));
        Assert.Empty(ServerOptionsValidator.Validate(new ServerOptions { Telemetry = { OtlpEndpoint = "http://collector:4318", OtlpProtocol = "http/protobuf" } }));
    }

    [Fact]
    public void Tls_proxy_and_metrics_settings_are_checked_each_naming_its_setting()
    {
        var options = new ServerOptions
        {
            Api = new ApiOptions { Urls = "https://0.0.0.0:4443", TrustedProxies = ["10.0.0.0/8", "proxy.example.com"] },
            Broker = new BrokerOptions { Tls = new BrokerTlsOptions { BindAddress = "everywhere", Certificate = new CertificateOptions { Path = "/nonexistent/broker.pem" } } },
            Metrics = new MetricsOptions { Token = "t", TokenFile = "/nonexistent/token", AllowedNetworks = ["10.0.0.0/40"] },
        };
        options.Broker.DynamicSecurity.Enabled = true;

        var errors = ServerOptionsValidator.Validate(options);

        Assert.Equal(
        [
            "Cog:Broker:Tls:BindAddress must be an IP address, not 'everywhere': set it in appsettings.json, as the environment variable Cog__Broker__Tls__BindAddress or as the switch --Cog:Broker:Tls:BindAddress=...",
            "Cog:Broker:Tls:Certificate:Path '/nonexistent/broker.pem' does not exist: set it in appsettings.json, as the environment variable Cog__Broker__Tls__Certificate__Path or as the switch --Cog:Broker:Tls:Certificate:Path=...",
            "Cog:Broker:DynamicSecurity:Enabled needs an external Mosquitto (Cog:Broker:Embedded=false); the embedded broker checks relay tokens itself: set it in appsettings.json, as the environment variable Cog__Broker__DynamicSecurity__Enabled or as the switch --Cog:Broker:DynamicSecurity:Enabled=...",
            "Cog:Api:Certificate:Path is required for the https:// URLs of Cog:Api:Urls (a PEM certificate with Cog:Api:Certificate:KeyPath, or a .pfx file): set it in appsettings.json, as the environment variable Cog__Api__Certificate__Path or as the switch --Cog:Api:Certificate:Path=...",
            "Cog:Api:TrustedProxies 'proxy.example.com' is not an IP address or a network such as 10.0.0.0/8: set it in appsettings.json, as the environment variable Cog__Api__TrustedProxies or as the switch --Cog:Api:TrustedProxies=...",
            "Cog:Metrics:Token and Cog:Metrics:TokenFile are both set: give the scrape token one way: set it in appsettings.json, as the environment variable Cog__Metrics__Token or as the switch --Cog:Metrics:Token=...",
            "Cog:Metrics:AllowedNetworks '10.0.0.0/40' is not an IP address or a network such as 10.0.0.0/8: set it in appsettings.json, as the environment variable Cog__Metrics__AllowedNetworks or as the switch --Cog:Metrics:AllowedNetworks=...",
        ], errors);
    }

    [Fact]
    public void A_certificate_file_that_is_not_a_certificate_is_reported_with_the_reason()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "not a certificate");
        try
        {
            var options = new ServerOptions { Api = new ApiOptions { Urls = "https://127.0.0.1:4443", Certificate = new CertificateOptions { Path = file, KeyPath = file } } };

            var error = Assert.Single(ServerOptionsValidator.Validate(options));

            Assert.StartsWith($"Cog:Api:Certificate:Path '{file}' could not be read: ", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_bundle_checker_settings_are_checked()
    {
        var options = new ServerOptions
        {
            Bundles = new BundlesOptions { CheckerExecutable = "/nonexistent/Cog.BundleChecker.dll", CheckTimeoutSeconds = 0, CheckMemoryLimitMegabytes = 1 },
        };

        var errors = ServerOptionsValidator.Validate(options);

        Assert.Equal(
        [
            "Cog:Bundles:CheckerExecutable '/nonexistent/Cog.BundleChecker.dll' does not exist: set it in appsettings.json, as the environment variable Cog__Bundles__CheckerExecutable or as the switch --Cog:Bundles:CheckerExecutable=...",
            "Cog:Bundles:CheckTimeoutSeconds must be between 1 and 3600: set it in appsettings.json, as the environment variable Cog__Bundles__CheckTimeoutSeconds or as the switch --Cog:Bundles:CheckTimeoutSeconds=...",
            "Cog:Bundles:CheckMemoryLimitMegabytes must be between 64 and 65536: set it in appsettings.json, as the environment variable Cog__Bundles__CheckMemoryLimitMegabytes or as the switch --Cog:Bundles:CheckMemoryLimitMegabytes=...",
        ], errors);
    }

    [Fact]
    public void The_instance_name_and_the_cluster_timings_are_checked()
    {
        var options = new ServerOptions { InstanceName = "cog 1", Cluster = { HeartbeatSeconds = 5, InstanceTtlSeconds = 9 } };

        Assert.Equal(
        [
            "Cog:InstanceName must be 1 to 63 letters, digits, '.', '_' and '-', not 'cog 1': set it in appsettings.json, as the environment variable Cog__InstanceName or as the switch --Cog:InstanceName=...",
            "Cog:Cluster:InstanceTtlSeconds must be between twice Cog:Cluster:HeartbeatSeconds (10) and 600, not 9: set it in appsettings.json, as the environment variable Cog__Cluster__InstanceTtlSeconds or as the switch --Cog:Cluster:InstanceTtlSeconds=...",
        ], ServerOptionsValidator.Validate(options));
        Assert.Equal(
            "Cog:Cluster:HeartbeatSeconds must be between 1 and 60, not 0: set it in appsettings.json, as the environment variable Cog__Cluster__HeartbeatSeconds or as the switch --Cog:Cluster:HeartbeatSeconds=...",
            Assert.Single(ServerOptionsValidator.Validate(new ServerOptions { InstanceName = "cog-1.example_2", Cluster = { HeartbeatSeconds = 0 } })));
        Assert.StartsWith("cog-", new ServerOptions().InstanceName, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_needs_a_connection_string()
    {
        var errors = ServerOptionsValidator.Validate(new ServerOptions { Database = new DatabaseOptions { Provider = "postgres" } });

        Assert.Equal("Cog:Database:ConnectionString is required with the postgres provider: set it in appsettings.json, as the environment variable Cog__Database__ConnectionString or as the switch --Cog:Database:ConnectionString=...",
            Assert.Single(errors));
    }

    [Fact]
    public void A_dev_folder_that_does_not_exist_is_refused()
    {
        var errors = ServerOptionsValidator.Validate(new ServerOptions { Dev = new DevOptions { Bundles = "/nonexistent/cog-bundles" } });

        Assert.StartsWith("Cog:Dev:Bundles '/nonexistent/cog-bundles' is not a folder", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void The_chat_prefix_and_the_previous_command_token_must_not_be_empty()
    {
        var options = new ServerOptions();
        options.Chat.CommandPrefix = " ";
        options.Chat.PreviousCommandToken = "";

        var errors = ServerOptionsValidator.Validate(options);

        Assert.Equal(
        [
            "Cog:Chat:CommandPrefix must not be empty: set it in appsettings.json, as the environment variable Cog__Chat__CommandPrefix or as the switch --Cog:Chat:CommandPrefix=...",
            "Cog:Chat:PreviousCommandToken must not be empty: set it in appsettings.json, as the environment variable Cog__Chat__PreviousCommandToken or as the switch --Cog:Chat:PreviousCommandToken=...",
        ], errors);
    }

    [Fact]
    public void Slack_needs_both_tokens_once_each_with_their_prefixes()
    {
        var options = new ServerOptions();
        options.Chat.Slack = new SlackChatOptions { Enabled = true, BotToken = "xapp-wrong-kind-secret", ApiUrl = "slack.com" };

        var errors = ServerOptionsValidator.Validate(options);

        Assert.Equal(
        [
            "Cog:Chat:Slack:AppToken or Cog:Chat:Slack:AppTokenFile (exactly one) is required when Slack is enabled: the app-level token (xapp-...) that opens Socket Mode connections: set it in appsettings.json, as the environment variable Cog__Chat__Slack__AppToken or as the switch --Cog:Chat:Slack:AppToken=...",
            "Cog:Chat:Slack:BotToken must start with 'xoxb-' (the bot token (xoxb-...)): set it in appsettings.json, as the environment variable Cog__Chat__Slack__BotToken or as the switch --Cog:Chat:Slack:BotToken=...",
            "Cog:Chat:Slack:ApiUrl 'slack.com' is not an http:// or https:// URL: set it in appsettings.json, as the environment variable Cog__Chat__Slack__ApiUrl or as the switch --Cog:Chat:Slack:ApiUrl=...",
        ], errors);
        Assert.DoesNotContain(errors, e => e.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Slack_tokens_may_come_from_files_that_must_exist()
    {
        var options = new ServerOptions();
        options.Chat.Slack = new SlackChatOptions { Enabled = true, AppTokenFile = "/nonexistent/app-token", BotToken = "xoxb-1" };

        Assert.StartsWith("Cog:Chat:Slack:AppTokenFile '/nonexistent/app-token' does not exist", Assert.Single(ServerOptionsValidator.Validate(options)), StringComparison.Ordinal);
        Assert.Empty(ServerOptionsValidator.Validate(new ServerOptions { Chat = new ChatOptions { Slack = new SlackChatOptions { Enabled = false, AppToken = "junk" } } }));
    }
}
