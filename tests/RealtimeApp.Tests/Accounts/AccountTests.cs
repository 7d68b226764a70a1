using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RealtimeApp.Tests.Support;
using SocketIOClient.Transport;

namespace RealtimeApp.Tests.Accounts;

/// <summary>
/// The /account endpoints against the real app process: register, login (cookie and bearer token), me and
/// logout; the lockout after five wrong passwords; the refusals' JSON.
/// </summary>
public sealed class AccountTests
{
    private const string Password = ItemClient.Password;

    internal static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, object? body = null, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }) };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return http.SendAsync(request);
    }

    internal static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    internal static async Task<(bool SignedIn, string? Name)> MeAsync(HttpClient http)
    {
        var me = await http.GetFromJsonAsync<JsonElement>("account/me");
        return (me.GetProperty("signedIn").GetBoolean(), me.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Register_signs_in_with_a_cookie_then_logout_login_and_me_follow()
    {
        await using var app = await ItemApp.StartAsync();
        var cookies = new CookieContainer();
        using var browser = app.NewBrowserClient(cookies);
        Assert.Equal((false, null), await MeAsync(browser));

        var registered = await JsonAsync(await PostAsync(browser, "account/register", new { userName = "Zoë Smith", password = Password }), HttpStatusCode.OK);
        Assert.Equal("""{"signedIn":true,"name":"Zoë Smith"}""", registered.GetRawText());
        Assert.Equal((true, "Zoë Smith"), await MeAsync(browser));
        // The cookie is HttpOnly and SameSite=Lax (and, over plain HTTP, not Secure).
        using (var raw = await PostAsync(new HttpClient { BaseAddress = new Uri(app.Address) }, "account/login", new { userName = "Zoë Smith", password = Password }))
        {
            var setCookie = Assert.Single(raw.Headers.GetValues("Set-Cookie"));
            var attributes = setCookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToArray();
            Assert.Contains("httponly", attributes);
            Assert.Contains("samesite=lax", attributes);
            Assert.DoesNotContain("secure", attributes);
        }

        Assert.Equal("""{"signedIn":false,"name":null}""", (await JsonAsync(await PostAsync(browser, "account/logout"), HttpStatusCode.OK)).GetRawText());
        Assert.Equal((false, null), await MeAsync(browser));

        // Login by the name in any case: the account's own spelling comes back.
        var login = await JsonAsync(await PostAsync(browser, "account/login", new { userName = "zoë smith", password = Password }), HttpStatusCode.OK);
        Assert.Equal("Zoë Smith", login.GetProperty("name").GetString());
        Assert.Equal((true, "Zoë Smith"), await MeAsync(browser));

        // With ?useCookies=false: a bearer token (as MapIdentityApi's login), and it signs requests in.
        var token = await JsonAsync(await PostAsync(app.Http, "account/login?useCookies=false", new { userName = "Zoë Smith", password = Password }), HttpStatusCode.OK);
        Assert.Equal("Bearer", token.GetProperty("tokenType").GetString());
        Assert.True(token.GetProperty("expiresIn").GetInt64() > 0);
        Assert.False(string.IsNullOrEmpty(token.GetProperty("refreshToken").GetString()));
        using var script = new HttpClient { BaseAddress = new Uri(app.Address) };
        script.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
        Assert.Equal((true, "Zoë Smith"), await MeAsync(script));
        // A GET that needs nothing answers 200 anonymous too; a bad token is anonymous, not a redirect.
        script.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");
        Assert.Equal((false, null), await MeAsync(script));
    }

    [Fact]
    public async Task Refused_registrations_and_logins_answer_clear_json()
    {
        await using var app = await ItemApp.StartAsync();
        var http = app.Http;
        await JsonAsync(await PostAsync(http, "account/register", new { userName = "olga", password = Password }), HttpStatusCode.OK);

        var weak = await JsonAsync(await PostAsync(http, "account/register", new { userName = "weak", password = "short" }), HttpStatusCode.BadRequest);
        Assert.Equal("invalid_input", weak.Str("code"));
        Assert.Contains(weak.GetProperty("errors").EnumerateArray(), e => e.Str("code") == "PasswordTooShort");
        Assert.False(string.IsNullOrWhiteSpace(weak.Str("message")));

        var taken = await JsonAsync(await PostAsync(http, "account/register", new { userName = "OLGA", password = Password }), HttpStatusCode.Conflict);
        Assert.Equal("name_taken", taken.Str("code"));
        // Names are trimmed, as the board always kept them: " olga " is olga again.
        Assert.Equal("name_taken", (await JsonAsync(await PostAsync(http, "account/register", new { userName = " olga ", password = Password }), HttpStatusCode.Conflict)).Str("code"));

        foreach (var bad in new object[]
        {
            new { userName = new string('n', 41), password = Password },   // the board's name rule
            new { userName = "two\nlines", password = Password },
            new { userName = "   ", password = Password },
            new { userName = "x" },                                           // no password
            new { userName = 42, password = Password },                       // not a string
        })
        {
            var refused = await JsonAsync(await PostAsync(http, "account/register", bad), HttpStatusCode.BadRequest);
            Assert.Equal("invalid_input", refused.Str("code"));
            Assert.False(string.IsNullOrWhiteSpace(refused.Str("message")));
        }
        using (var notJson = await http.PostAsync("account/login", new StringContent("{", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal("invalid_input", (await JsonAsync(notJson, HttpStatusCode.BadRequest)).Str("code"));
        }

        var unknown = await JsonAsync(await PostAsync(http, "account/login", new { userName = "nobody", password = Password }), HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_credentials", unknown.Str("code"));
        var wrong = await JsonAsync(await PostAsync(http, "account/login", new { userName = "olga", password = "wrong-password" }), HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_credentials", wrong.Str("code"));

        // Only olga was ever created; the refused names were not.
        Assert.Equal("invalid_credentials", (await JsonAsync(await PostAsync(http, "account/login", new { userName = "weak", password = "short" }), HttpStatusCode.Unauthorized)).Str("code"));
        // Neither password nor hash is in the log.
        Assert.DoesNotContain(app.Process.Lines, l => l.Contains(Password, StringComparison.Ordinal) || l.Contains("wrong-password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused()
    {
        await using var app = await ItemApp.StartAsync();
        await JsonAsync(await PostAsync(app.Http, "account/register", new { userName = "target", password = Password }), HttpStatusCode.OK);

        var codes = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await PostAsync(app.Http, "account/login", new { userName = "target", password = $"guess-number-{i}" });
            codes.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Str("code"));
        }
        // The first four are wrong passwords; the fifth is the one that locks (Identity:Lockout:MaxFailedAccessAttempts 5).
        Assert.Equal(["invalid_credentials", "invalid_credentials", "invalid_credentials", "invalid_credentials", "locked_out"], codes);

        var locked = await JsonAsync(await PostAsync(app.Http, "account/login", new { userName = "target", password = Password }), HttpStatusCode.Forbidden);
        Assert.Equal("locked_out", locked.Str("code"));
        using var bearer = await PostAsync(app.Http, "account/login?useCookies=false", new { userName = "target", password = Password });
        Assert.Equal(HttpStatusCode.Forbidden, bearer.StatusCode);

        // Another account is not affected.
        await JsonAsync(await PostAsync(app.Http, "account/register", new { userName = "bystander", password = Password }), HttpStatusCode.OK);
        await JsonAsync(await PostAsync(app.Http, "account/login", new { userName = "bystander", password = Password }), HttpStatusCode.OK);
    }
}
