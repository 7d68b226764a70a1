using System.Text.Json;
using RealtimeApp.SocketIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.SocketIO;

/// <summary>Placeholders <c>{"_placeholder":true,"num":N}</c> (socket.io-protocol v5 "Binary attachments").</summary>
public sealed class BinaryPlaceholdersTests
{
    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [Theory]
    [InlineData("{\"_placeholder\":true,\"num\":0}", 0)]
    [InlineData("{\"_placeholder\":true,\"num\":3}", 3)]
    [InlineData("{\"_placeholder\":true,\"num\":9}", 9)]
    [InlineData("{\"num\":1,\"_placeholder\":true}", 1)]
    [InlineData("{\"_placeholder\":true,\"num\":2,\"extra\":\"x\"}", 2)]
    public void TryGetIndex_recognises_a_placeholder_and_its_index(string json, int expected)
    {
        Assert.True(BinaryPlaceholders.TryGetIndex(Json(json), out var num));
        Assert.Equal(expected, num);
    }

    [Theory]
    [InlineData("{\"_placeholder\":true}")]
    [InlineData("{\"_placeholder\":true,\"num\":null}")]
    [InlineData("{\"_placeholder\":true,\"num\":\"0\"}")]
    [InlineData("{\"_placeholder\":true,\"num\":1.5}")]
    [InlineData("{\"_placeholder\":true,\"num\":2147483648}")]
    [InlineData("{\"_placeholder\":true,\"num\":-1}")]
    [InlineData("{\"_placeholder\":true,\"num\":[0]}")]
    public void TryGetIndex_placeholder_without_a_usable_num_reports_minus_one(string json)
    {
        Assert.True(BinaryPlaceholders.TryGetIndex(Json(json), out var num));
        Assert.Equal(-1, num);
    }

    [Theory]
    [InlineData("{\"_placeholder\":false,\"num\":0}")]
    [InlineData("{\"_placeholder\":\"true\",\"num\":0}")]
    [InlineData("{\"_placeholder\":1,\"num\":0}")]
    [InlineData("{\"_placeholder\":null,\"num\":0}")]
    [InlineData("{\"num\":0}")]
    [InlineData("{\"placeholder\":true,\"num\":0}")]
    [InlineData("{}")]
    [InlineData("[{\"_placeholder\":true,\"num\":0}]")]
    [InlineData("\"_placeholder\"")]
    [InlineData("0")]
    [InlineData("true")]
    [InlineData("null")]
    public void TryGetIndex_rejects_anything_that_is_not_a_placeholder_object(string json)
    {
        Assert.False(BinaryPlaceholders.TryGetIndex(Json(json), out var num));
        Assert.Equal(-1, num);
    }

    [Fact]
    public void TryGetIndex_on_default_element_is_false()
    {
        Assert.False(BinaryPlaceholders.TryGetIndex(default, out var num));
        Assert.Equal(-1, num);
    }

    [Theory]
    [InlineData("[\"ev\",{\"_placeholder\":true,\"num\":0}]", 1)]
    [InlineData("[\"ev\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", 2)]
    [InlineData("[\"ev\",{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":0}]", 2)]
    [InlineData("[\"ev\",{\"_placeholder\":true,\"num\":0}]", 10)]
    [InlineData("[\"ev\",{\"_placeholder\":true,\"num\":9}]", 10)]
    [InlineData("[\"ev\",{\"a\":[1,{\"b\":{\"_placeholder\":true,\"num\":2}}]}]", 3)]
    [InlineData("{\"x\":{\"y\":{\"z\":[[{\"_placeholder\":true,\"num\":0}]]}}}", 1)]
    [InlineData("[\"ev\",1,\"two\",true,null,{\"k\":[]}]", 0)]
    [InlineData("[\"ev\",{\"_placeholder\":false,\"num\":99}]", 0)]
    [InlineData("[\"ev\",{\"num\":99}]", 0)]
    [InlineData("[]", 0)]
    [InlineData("\"str\"", 0)]
    [InlineData("42", 0)]
    [InlineData("null", 0)]
    public void AreValid_true_when_every_placeholder_is_in_range(string json, int attachmentCount)
    {
        Assert.True(BinaryPlaceholders.AreValid(Json(json), attachmentCount));
    }

    [Theory]
    [InlineData("[\"ev\",{\"_placeholder\":true,\"num\":0}]", 0)]
    [InlineData("[\"ev\",{\"_placeholder\":true,\"num\":1}]", 1)]
    [InlineData("[\"ev\",{\"_placeholder\":true,\"num\":10}]", 10)]
    [InlineData("[\"ev\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":2}]", 2)]
    [InlineData("[\"ev\",{\"_placeholder\":true,\"num\":-1}]", 1)]
    [InlineData("[\"ev\",{\"_placeholder\":true,\"num\":-5}]", 1)]
    [InlineData("[\"ev\",{\"_placeholder\":true}]", 1)]
    [InlineData("[\"ev\",{\"_placeholder\":true,\"num\":\"0\"}]", 1)]
    [InlineData("[\"ev\",{\"_placeholder\":true,\"num\":0.5}]", 1)]
    [InlineData("[\"ev\",{\"a\":[1,{\"b\":{\"_placeholder\":true,\"num\":3}}]}]", 3)]
    [InlineData("{\"x\":{\"y\":{\"z\":[[{\"_placeholder\":true,\"num\":1}]]}}}", 1)]
    [InlineData("[[[{\"_placeholder\":true}]]]", 5)]
    [InlineData("{\"_placeholder\":true,\"num\":4}", 4)]
    public void AreValid_false_for_out_of_range_negative_or_missing_num(string json, int attachmentCount)
    {
        Assert.False(BinaryPlaceholders.AreValid(Json(json), attachmentCount));
    }

    [Fact]
    public void AreValid_one_bad_placeholder_among_good_ones_fails()
    {
        var json = Json("[\"ev\",{\"_placeholder\":true,\"num\":0},{\"n\":[{\"_placeholder\":true,\"num\":1}]},"
            + "{\"_placeholder\":true,\"num\":2}]");

        Assert.True(BinaryPlaceholders.AreValid(json, 3));
        Assert.False(BinaryPlaceholders.AreValid(json, 2));
        Assert.False(BinaryPlaceholders.AreValid(json, 1));
    }
}
