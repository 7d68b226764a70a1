using System.Globalization;
using System.Text.Json;

namespace RealtimeApp.Tests.Support;

/// <summary>Reads /item acks and item views (camelCase JSON) for assertions.</summary>
internal static class ItemJson
{
    /// <summary>Asserts <c>{ok:true}</c> and returns its <c>item</c> (or the ack itself when it has none).</summary>
    public static JsonElement AssertOk(this JsonElement ack)
    {
        Assert.True(ack.ValueKind == JsonValueKind.Object && ack.GetProperty("ok").GetBoolean(), $"expected ok, got {ack.GetRawText()}");
        Assert.False(ack.TryGetProperty("error", out _), $"ok ack with an error: {ack.GetRawText()}");
        return ack.TryGetProperty("item", out var item) ? item : ack;
    }

    /// <summary>Asserts <c>{ok:false, error:{code, message}}</c> with <paramref name="code"/> and a message.</summary>
    public static void AssertError(this JsonElement ack, string code, string? because = null)
    {
        var label = because is null ? "" : because + ": ";
        Assert.True(ack.ValueKind == JsonValueKind.Object, $"{label}ack is not an object: {ack.GetRawText()}");
        Assert.True(!ack.GetProperty("ok").GetBoolean(), $"{label}expected error {code}, got {ack.GetRawText()}");
        Assert.False(ack.TryGetProperty("item", out _), $"{label}refusal carries an item: {ack.GetRawText()}");
        var error = ack.GetProperty("error");
        Assert.True(error.GetProperty("code").GetString() == code, $"{label}expected {code}, got {ack.GetRawText()}");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()), $"{label}no message: {ack.GetRawText()}");
    }

    public static string Id(this JsonElement item) => item.GetProperty("id").GetString()!;

    public static long Version(this JsonElement item) => item.GetProperty("version").GetInt64();

    public static int BidCount(this JsonElement item) => item.GetProperty("bidCount").GetInt32();

    public static decimal CurrentPrice(this JsonElement item) => item.GetProperty("currentPrice").GetDecimal();

    public static string Status(this JsonElement item) => item.GetProperty("status").GetString()!;

    public static string? Leader(this JsonElement item) =>
        item.GetProperty("leader") is { ValueKind: JsonValueKind.String } leader ? leader.GetString() : null;

    public static string Str(this JsonElement e, string property) => e.GetProperty(property).GetString()!;

    /// <summary>The fields that must survive every read path (ack, broadcast, HTTP, restart) unchanged.</summary>
    public static string Snapshot(this JsonElement item) => string.Join('|',
        item.Id(), item.Str("title"), item.Str("description"), item.Str("owner"),
        Money(item.GetProperty("startingPrice").GetDecimal()), Money(item.CurrentPrice()), item.Leader() ?? "-", item.BidCount(),
        item.Status(), item.GetProperty("createdAt").GetDateTimeOffset().UtcTicks,
        item.GetProperty("closesAt") is { ValueKind: JsonValueKind.String } closes ? closes.GetDateTimeOffset().UtcTicks : "-",
        item.Version());

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Asserts two views show the same item state.</summary>
    public static void AssertSameState(JsonElement expected, JsonElement actual) =>
        Assert.Equal(expected.Snapshot(), actual.Snapshot());
}
