using RealtimeApp.SocketIO.EngineIO;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.EngineIO;

/// <summary>Reading EIO, transport and sid from an Engine.IO request's query string.</summary>
public sealed class EngineRequestTests
{
    private static DefaultHttpContext WithQuery(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return context;
    }

    [Fact]
    public void From_polling_handshake_reads_EIO_and_transport_and_has_no_sid()
    {
        var request = EngineRequest.From(WithQuery("?EIO=4&transport=polling"));

        Assert.Equal(new EngineRequest("4", EngineTransports.Polling, null, false), request);
    }

    [Fact]
    public void From_websocket_transport_with_sid_reads_all_three()
    {
        var request = EngineRequest.From(WithQuery("?EIO=4&transport=websocket&sid=lv_VI97HAXpY6yYWAAAC"));

        Assert.Equal("4", request.Protocol);
        Assert.Equal(EngineTransports.WebSocket, request.Transport);
        Assert.Equal("lv_VI97HAXpY6yYWAAAC", request.Sid);
        Assert.False(request.IsWebSocketUpgrade);
    }

    [Theory]
    [InlineData("?EIO=4&transport=flashsocket")]
    [InlineData("?EIO=4&transport=Polling")]
    [InlineData("?EIO=4&transport=WEBSOCKET")]
    [InlineData("?EIO=4&transport=")]
    [InlineData("?EIO=4")]
    [InlineData("?EIO=4&transport=polling&transport=websocket")]
    public void From_missing_or_unknown_transport_is_null(string query)
    {
        var request = EngineRequest.From(WithQuery(query));

        Assert.Null(request.Transport);
        Assert.Equal("4", request.Protocol);
    }

    [Fact]
    public void From_empty_query_gives_all_nulls()
    {
        var request = EngineRequest.From(new DefaultHttpContext());

        Assert.Equal(new EngineRequest(null, null, null, false), request);
    }

    [Theory]
    [InlineData("?EIO=3&transport=polling", "3")]
    [InlineData("?EIO=5&transport=polling", "5")]
    [InlineData("?EIO=abc&transport=polling", "abc")]
    [InlineData("?transport=polling&EIO=4", "4")]
    public void From_EIO_is_returned_as_given(string query, string expected)
    {
        Assert.Equal(expected, EngineRequest.From(WithQuery(query)).Protocol);
    }

    [Theory]
    [InlineData("?EIO=&transport=polling")]
    [InlineData("?transport=polling")]
    public void From_missing_or_empty_EIO_is_null(string query)
    {
        var request = EngineRequest.From(WithQuery(query));

        Assert.Null(request.Protocol);
        Assert.Equal(EngineTransports.Polling, request.Transport);
    }

    [Theory]
    [InlineData("?EIO=4&transport=polling&sid=")]
    [InlineData("?EIO=4&transport=polling")]
    public void From_missing_or_empty_sid_is_null(string query)
    {
        Assert.Null(EngineRequest.From(WithQuery(query)).Sid);
    }

    [Fact]
    public void From_sid_is_url_decoded()
    {
        var request = EngineRequest.From(WithQuery("?EIO=4&transport=polling&sid=a%2Bb%2Fc"));

        Assert.Equal("a+b/c", request.Sid);
    }

    [Fact]
    public void From_plain_request_is_not_a_websocket_upgrade()
    {
        var context = WithQuery("?EIO=4&transport=websocket");

        Assert.False(EngineRequest.From(context).IsWebSocketUpgrade);
    }

    [Fact]
    public void From_websocket_handshake_request_is_an_upgrade()
    {
        var context = WithQuery("?EIO=4&transport=websocket");
        context.Features.Set<IHttpWebSocketFeature>(new EngineErrorTests.UpgradeRequestFeature());

        var request = EngineRequest.From(context);

        Assert.True(request.IsWebSocketUpgrade);
        Assert.Equal(EngineTransports.WebSocket, request.Transport);
    }
}
