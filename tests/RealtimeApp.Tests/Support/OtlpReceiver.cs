using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RealtimeApp.Tests.Support;

/// <summary>
/// A stand-in OpenTelemetry collector: Kestrel on 127.0.0.1:0 answering OTLP/HTTP exports
/// (<c>POST /v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>) with 200 and keeping each body. The bodies are
/// protobuf, whose strings are plain UTF-8 bytes, so a byte search finds span names, attribute keys and values.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _exports = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>e.g. http://127.0.0.1:41234 — what OTEL_EXPORTER_OTLP_ENDPOINT is set to.</summary>
    public string Endpoint { get; private set; } = "";

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver._exports.Enqueue((signal, body.ToArray()));
            return Results.Bytes([], "application/x-protobuf"); // an empty ExportServiceResponse: all accepted
        });
        await app.StartAsync();
        receiver.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return receiver;
    }

    /// <summary>The bodies exported so far for <paramref name="signal"/> (<c>traces</c>, <c>metrics</c>).</summary>
    public IReadOnlyList<byte[]> Bodies(string signal) => [.. _exports.Where(e => e.Signal == signal).Select(e => e.Body)];

    /// <summary>Waits until one body of <paramref name="signal"/> holds every string of <paramref name="texts"/>; returns it.</summary>
    public async Task<byte[]> WaitForAsync(string signal, params string[] texts)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (Bodies(signal).FirstOrDefault(body => texts.All(t => Contains(body, t))) is { } found)
            {
                return found;
            }
            if (DateTime.UtcNow > deadline)
            {
                var missing = texts.Where(t => !Bodies(signal).Any(body => Contains(body, t)));
                throw new TimeoutException($"no {signal} export holding all of [{string.Join(", ", texts)}] within 30 s; "
                    + $"{Bodies(signal).Count} {signal} export(s) received, none with [{string.Join(", ", missing)}]");
            }
            await Task.Delay(100);
        }
    }

    public static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
