using System.Diagnostics;
using System.Text;
using System.Text.Json;
using RealtimeApp.LoadGen.Wire;

namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// The soak's occasional HTTP long-polling session (Engine.IO v4, no upgrade): handshake, <c>40</c>, one
/// <c>echo</c> with its ack, then half close it (<c>1</c>) and half abandon it, which the server must time out
/// (pingInterval + pingTimeout). Rare (see <see cref="SoakClient"/>), so plain <see cref="HttpClient"/> calls are fine.
/// </summary>
internal static class SoakPolling
{
    private const char RecordSeparator = '\u001e';
    private const int MaxPolls = 3;

    public static async Task CycleAsync(SoakRun run)
    {
        var http = run.Http;
        var handshakeUrl = $"http://{run.Target.HostHeader}/socket.io/?EIO=4&transport=polling";
        var step = "handshake";
        try
        {
            string open;
            await run.ConnectGate.WaitAsync();
            try
            {
                open = await http.GetStringAsync(handshakeUrl);
            }
            finally
            {
                run.ConnectGate.Release();
            }
            if (!open.StartsWith("0{", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"not an open packet: {Truncate(open)}");
            }
            var sid = JsonDocument.Parse(open.AsMemory(1)).RootElement.GetProperty("sid").GetString();
            run.Count(SoakCount.Connects);
            run.Count(SoakCount.PollingSessions);
            var url = $"{handshakeUrl}&sid={Uri.EscapeDataString(sid ?? "")}";

            step = "namespace join";
            await PostAsync(http, url, "40");
            await ExpectAsync(http, url, "40");

            step = "echo";
            var sentAt = Stopwatch.GetTimestamp();
            await PostAsync(http, url, $"420[\"echo\",\"{SoakClient.EchoPayload}\"]");
            await ExpectAsync(http, url, $"430[\"{SoakClient.EchoPayload}\"]");
            run.AckLatency.RecordTicks(Stopwatch.GetTimestamp() - sentAt);
            run.Count(SoakCount.Acks);
            run.Count(SoakCount.EchoAcks);

            step = "close";
            if (Random.Shared.Next(2) == 0)
            {
                await PostAsync(http, url, "1");
                run.Count(SoakCount.PollingClosed);
            }
            else
            {
                run.Count(SoakCount.PollingAbandoned);
            }
        }
        catch (Exception e)
        {
            run.PollingFailures.OnLost($"{step}: {e.GetType().Name}: {e.Message}");
        }
        await SocketThread.Leave();
    }

    private static async Task PostAsync(HttpClient http, string url, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "text/plain");
        using var response = await http.PostAsync(url, content);
        var reply = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || reply != "ok")
        {
            throw new InvalidDataException($"POST {body}: {(int)response.StatusCode} {Truncate(reply)}");
        }
    }

    /// <summary>Polls until a packet starting with <paramref name="prefix"/> comes, answering pings on the way.</summary>
    private static async Task ExpectAsync(HttpClient http, string url, string prefix)
    {
        for (var poll = 0; poll < MaxPolls; poll++)
        {
            var payload = await http.GetStringAsync(url);
            var found = false;
            foreach (var packet in payload.Split(RecordSeparator))
            {
                if (packet == "2")
                {
                    await PostAsync(http, url, "3");
                }
                else if (packet.StartsWith(prefix, StringComparison.Ordinal))
                {
                    found = true;
                }
                else if (packet.StartsWith('1') || packet.StartsWith("41", StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"closed by the server while waiting for {prefix}: {Truncate(payload)}");
                }
            }
            if (found)
            {
                return;
            }
        }
        throw new InvalidDataException($"no {prefix} in {MaxPolls} polls");
    }

    private static string Truncate(string text) => text.Length > 120 ? text[..120] + "…" : text;
}
