using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.SocketIO;

/// <summary>Emit arguments to EVENT/ACK JSON: camelCase, relaxed escaping, binary values as placeholders.</summary>
public sealed class SocketPayloadTests
{
    private const string P0 = "{\"_placeholder\":true,\"num\":0}";
    private const string P1 = "{\"_placeholder\":true,\"num\":1}";
    private const string P2 = "{\"_placeholder\":true,\"num\":2}";

    public sealed record Person(string FirstName, int AgeInYears, bool IsAdmin);

    public sealed record Upload(string FileName, byte[] Content, ReadOnlyMemory<byte> Thumbnail);

    public sealed record Holder(Memory<byte> RawBytes, List<byte[]> Parts);

    private static string Text(byte[] json) => Encoding.UTF8.GetString(json);

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static void AssertAttachments(IReadOnlyList<ReadOnlyMemory<byte>> actual, params byte[][] expected)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i].ToArray());
        }
    }

    [Fact]
    public void Serialize_event_with_mixed_arguments_is_exact()
    {
        var (json, attachments) = SocketPayload.Serialize("ev", [1, "a", new Dictionary<string, bool> { ["b"] = true }, null]);

        Assert.Equal("[\"ev\",1,\"a\",{\"b\":true},null]", Text(json));
        Assert.Empty(attachments);
    }

    [Fact]
    public void Serialize_uses_camel_case_property_names()
    {
        var (json, _) = SocketPayload.Serialize("user", [new Person("Ann", 33, true)]);

        Assert.Equal("[\"user\",{\"firstName\":\"Ann\",\"ageInYears\":33,\"isAdmin\":true}]", Text(json));
    }

    [Fact]
    public void Serialize_does_not_escape_euro_sign_or_non_ascii_letters()
    {
        var (json, _) = SocketPayload.Serialize("m\u00e9t\u00e9o", ["\u20ac 5", "caf\u00e9 \u65e5\u672c <b>&'"]);

        Assert.Equal(Encoding.UTF8.GetBytes("[\"m\u00e9t\u00e9o\",\"\u20ac 5\",\"caf\u00e9 \u65e5\u672c <b>&'\"]"), json);
    }

    [Fact]
    public void Serialize_writes_emoji_as_surrogate_escapes_that_parse_back_to_the_same_string()
    {
        // System.Text.Json escapes characters outside the BMP even with the relaxed encoder (Node's
        // JSON.stringify would not): the bytes differ, the value a JavaScript peer parses does not.
        var (json, _) = SocketPayload.Serialize("ev", ["\ud83d\ude00"]);

        Assert.Equal("[\"ev\",\"\\uD83D\\uDE00\"]", Text(json));
        Assert.Equal("\ud83d\ude00", System.Text.Json.JsonDocument.Parse(json).RootElement[1].GetString());
    }

    [Fact]
    public void Serialize_still_escapes_what_json_requires()
    {
        var (json, _) = SocketPayload.Serialize("ev", ["q\"b\\n\n"]);

        Assert.Equal("[\"ev\",\"q\\\"b\\\\n\\n\"]", Text(json));
    }

    [Fact]
    public void Serialize_without_event_name_is_a_plain_array()
    {
        Assert.Equal("[1,\"two\",false]", Text(SocketPayload.Serialize(null, [1, "two", false]).Json));
        Assert.Equal("[]", Text(SocketPayload.Serialize(null, []).Json));
        Assert.Equal("[\"only\"]", Text(SocketPayload.Serialize("only", []).Json));
        Assert.Equal("[null]", Text(SocketPayload.Serialize(null, [null]).Json));
    }

    [Fact]
    public void Serialize_top_level_binary_values_become_numbered_placeholders()
    {
        byte[] first = [1, 2, 3];
        ReadOnlyMemory<byte> second = new byte[] { 9, 8, 7, 6 }.AsMemory(1, 2);
        Memory<byte> third = new byte[] { 42 };

        var (json, attachments) = SocketPayload.Serialize("up", [first, "x", second, third]);

        Assert.Equal("[\"up\"," + P0 + ",\"x\"," + P1 + "," + P2 + "]", Text(json));
        AssertAttachments(attachments, [1, 2, 3], [8, 7], [42]);
    }

    [Fact]
    public void Serialize_binary_nested_in_objects_lists_and_dictionaries_in_order()
    {
        var upload = new Upload("a.png", [10, 11], new byte[] { 12 });
        var holder = new Holder(new byte[] { 20 }, [[21], [22, 23]]);
        var dictionary = new Dictionary<string, object?> { ["n"] = 1, ["blob"] = new byte[] { 30 }, ["list"] = new List<object> { new byte[] { 31 } } };

        var (json, attachments) = SocketPayload.Serialize(null, [upload, holder, dictionary]);

        var p = (int n) => "{\"_placeholder\":true,\"num\":" + n + "}";
        Assert.Equal(
            "[{\"fileName\":\"a.png\",\"content\":" + p(0) + ",\"thumbnail\":" + p(1) + "},"
            + "{\"rawBytes\":" + p(2) + ",\"parts\":[" + p(3) + "," + p(4) + "]},"
            + "{\"n\":1,\"blob\":" + p(5) + ",\"list\":[" + p(6) + "]}]",
            Text(json));
        AssertAttachments(attachments, [10, 11], [12], [20], [21], [22, 23], [30], [31]);
    }

    [Fact]
    public void Serialize_empty_byte_array_is_still_an_attachment()
    {
        var (json, attachments) = SocketPayload.Serialize("e", [Array.Empty<byte>()]);

        Assert.Equal("[\"e\"," + P0 + "]", Text(json));
        AssertAttachments(attachments, Array.Empty<byte>());
    }

    [Fact]
    public void Serialize_numbering_restarts_for_every_call()
    {
        SocketPayload.Serialize("a", [new byte[] { 1 }, new byte[] { 2 }]);

        var (json, attachments) = SocketPayload.Serialize("b", [new byte[] { 3 }]);

        Assert.Equal("[\"b\"," + P0 + "]", Text(json));
        AssertAttachments(attachments, [3]);
    }

    [Fact]
    public void Serialize_from_many_threads_keeps_attachments_separate()
    {
        const int Calls = 400;
        var results = new (string Json, byte[][] Attachments)[Calls];
        using var start = new ManualResetEventSlim();
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            start.Wait();
            for (var i = t; i < Calls; i += 8)
            {
                var args = Enumerable.Range(0, i % 5 + 1).Select(k => (object?)new byte[] { (byte)i, (byte)k, (byte)(i >> 8) }).ToArray();
                var (json, attachments) = SocketPayload.Serialize("t" + i, args);
                results[i] = (Text(json), attachments.Select(a => a.ToArray()).ToArray());
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        start.Set();
        threads.ForEach(thread => thread.Join());

        for (var i = 0; i < Calls; i++)
        {
            var count = i % 5 + 1;
            var placeholders = Enumerable.Range(0, count).Select(k => ",{\"_placeholder\":true,\"num\":" + k + "}");
            Assert.Equal("[\"t" + i + "\"" + string.Concat(placeholders) + "]", results[i].Json);
            Assert.Equal(count, results[i].Attachments.Length);
            for (var k = 0; k < count; k++)
            {
                Assert.Equal(new[] { (byte)i, (byte)k, (byte)(i >> 8) }, results[i].Attachments[k]);
            }
        }
    }

    [Fact]
    public void Rehydrate_puts_byte_arrays_back_at_their_placeholders()
    {
        var data = Json("[\"up\"," + P1 + ",{\"a\":[" + P0 + "],\"n\":1.0}]");
        ReadOnlyMemory<byte>[] attachments = [new byte[] { 1, 2 }, new byte[] { 3 }];

        var node = SocketPayload.Rehydrate(data, attachments);

        var array = Assert.IsType<JsonArray>(node);
        Assert.Equal(3, array.Count);
        Assert.Equal("up", array[0]!.GetValue<string>());
        Assert.Equal(new byte[] { 3 }, array[1]!.GetValue<byte[]>());
        Assert.Equal(new byte[] { 1, 2 }, array[2]!["a"]![0]!.GetValue<byte[]>());
        Assert.Equal("1.0", array[2]!["n"]!.ToJsonString());
    }

    [Fact]
    public void Rehydrate_without_placeholders_reproduces_the_json()
    {
        const string text = "[\"ev\",1.0,{\"z\":null,\"a\":[true,\"\u20ac\"]},-0]";

        var node = SocketPayload.Rehydrate(Json(text), []);

        Assert.Equal(text, node!.ToJsonString(SocketPayload.DefaultOptions));
    }

    [Theory]
    [InlineData("[\"message-back\"," + P0 + "," + P1 + "]", 2)]
    [InlineData("[\"ev\",{\"file\":{\"name\":\"x\",\"data\":" + P0 + "},\"n\":1.0,\"list\":[" + P1 + ",{\"z\":" + P2 + "}]}]", 3)]
    [InlineData("[\"plain\",1,{\"b\":2,\"a\":[null]}]", 0)]
    public void Serialize_of_rehydrated_args_reproduces_json_and_attachments(string text, int count)
    {
        var attachments = Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)new byte[] { (byte)(100 + i), (byte)i }).ToArray();

        var node = Assert.IsType<JsonArray>(SocketPayload.Rehydrate(Json(text), attachments));
        var (json, again) = SocketPayload.Serialize(null, node.Select(item => (object?)item).ToArray());

        Assert.Equal(text, Text(json));
        AssertAttachments(again, attachments.Select(a => a.ToArray()).ToArray());
    }
}
