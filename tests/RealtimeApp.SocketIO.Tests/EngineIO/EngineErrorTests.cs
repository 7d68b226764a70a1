using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using RealtimeApp.SocketIO.EngineIO.Protocol;

namespace RealtimeApp.SocketIO.Tests.EngineIO;

/// <summary>Request errors: <c>{"code":N,"message":"..."}</c>, 403 for Forbidden, 400 otherwise.</summary>
public sealed class EngineErrorTests
{
    private static (DefaultHttpContext Context, MemoryStream Body) NewContext()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        return (context, body);
    }

    private static async Task<string> WriteAndReadAsync(DefaultHttpContext context, MemoryStream body,
        EngineErrorCode code, string? message = null)
    {
        await EngineError.WriteAsync(context, code, message);
        await context.Response.BodyWriter.FlushAsync();
        return Encoding.UTF8.GetString(body.ToArray());
    }

    [Theory]
    [InlineData(EngineErrorCode.UnknownTransport, 0, "Transport unknown")]
    [InlineData(EngineErrorCode.UnknownSid, 1, "Session ID unknown")]
    [InlineData(EngineErrorCode.BadHandshakeMethod, 2, "Bad handshake method")]
    [InlineData(EngineErrorCode.BadRequest, 3, "Bad request")]
    [InlineData(EngineErrorCode.Forbidden, 4, "Forbidden")]
    [InlineData(EngineErrorCode.UnsupportedProtocolVersion, 5, "Unsupported protocol version")]
    public void Codes_have_the_protocol_numbers_and_default_messages(object codeValue, int number, string message)
    {
        var code = (EngineErrorCode)codeValue; // the enum is internal; a public theory takes it as object
        Assert.Equal(number, (int)code);
        Assert.Equal(message, EngineError.DefaultMessage(code));
    }

    [Theory]
    [InlineData(EngineErrorCode.UnknownTransport, "{\"code\":0,\"message\":\"Transport unknown\"}")]
    [InlineData(EngineErrorCode.UnknownSid, "{\"code\":1,\"message\":\"Session ID unknown\"}")]
    [InlineData(EngineErrorCode.BadHandshakeMethod, "{\"code\":2,\"message\":\"Bad handshake method\"}")]
    [InlineData(EngineErrorCode.BadRequest, "{\"code\":3,\"message\":\"Bad request\"}")]
    [InlineData(EngineErrorCode.Forbidden, "{\"code\":4,\"message\":\"Forbidden\"}")]
    [InlineData(EngineErrorCode.UnsupportedProtocolVersion, "{\"code\":5,\"message\":\"Unsupported protocol version\"}")]
    public async Task WriteAsync_body_is_the_exact_json_for_each_code(object codeValue, string expectedBody)
    {
        var code = (EngineErrorCode)codeValue; // the enum is internal; a public theory takes it as object
        var (context, body) = NewContext();

        var text = await WriteAndReadAsync(context, body, code);

        Assert.Equal(expectedBody, text);
    }

    [Theory]
    [InlineData(EngineErrorCode.UnknownTransport, 400)]
    [InlineData(EngineErrorCode.UnknownSid, 400)]
    [InlineData(EngineErrorCode.BadHandshakeMethod, 400)]
    [InlineData(EngineErrorCode.BadRequest, 400)]
    [InlineData(EngineErrorCode.Forbidden, 403)]
    [InlineData(EngineErrorCode.UnsupportedProtocolVersion, 400)]
    public async Task WriteAsync_status_is_403_for_Forbidden_and_400_otherwise(object codeValue, int expectedStatus)
    {
        var code = (EngineErrorCode)codeValue; // the enum is internal; a public theory takes it as object
        var (context, body) = NewContext();

        await WriteAndReadAsync(context, body, code);

        Assert.Equal(expectedStatus, context.Response.StatusCode);
    }

    [Fact]
    public async Task WriteAsync_sets_json_content_type_and_no_store()
    {
        var (context, body) = NewContext();

        await WriteAndReadAsync(context, body, EngineErrorCode.UnknownSid);

        Assert.Equal("application/json", context.Response.ContentType);
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task WriteAsync_with_a_custom_message_uses_it_instead_of_the_default()
    {
        var (context, body) = NewContext();

        var text = await WriteAndReadAsync(context, body, EngineErrorCode.BadRequest, "Transport mismatch");

        Assert.Equal("{\"code\":3,\"message\":\"Transport mismatch\"}", text);
        Assert.Equal(400, context.Response.StatusCode);
    }

    [Fact]
    public async Task WriteAsync_body_is_readable_after_completing_the_response()
    {
        var (context, body) = NewContext();

        await EngineError.WriteAsync(context, EngineErrorCode.Forbidden);
        await context.Response.CompleteAsync();

        Assert.Equal("{\"code\":4,\"message\":\"Forbidden\"}", Encoding.UTF8.GetString(body.ToArray()));
        Assert.Equal(403, context.Response.StatusCode);
    }

    [Fact]
    public async Task WriteAsync_Forbidden_on_a_websocket_upgrade_request_is_400()
    {
        var (context, body) = NewContext();
        context.Features.Set<IHttpWebSocketFeature>(new UpgradeRequestFeature());

        var text = await WriteAndReadAsync(context, body, EngineErrorCode.Forbidden);

        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal("{\"code\":4,\"message\":\"Forbidden\"}", text);
    }

    /// <summary>Makes a <see cref="DefaultHttpContext"/> look like a WebSocket handshake.</summary>
    internal sealed class UpgradeRequestFeature : IHttpWebSocketFeature
    {
        public bool IsWebSocketRequest => true;

        public Task<System.Net.WebSockets.WebSocket> AcceptAsync(WebSocketAcceptContext context) =>
            throw new NotSupportedException();
    }
}
