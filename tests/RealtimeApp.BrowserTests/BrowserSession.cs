using Microsoft.Playwright;

namespace RealtimeApp.BrowserTests;

/// <summary>
/// Headless Chromium from Debian's package (the <c>chromium</c> binary on PATH), driven by Playwright;
/// no browser download. The flags keep it quiet on a machine without internet.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<BrowserSession> LaunchAsync()
    {
        var chromium = FindOnPath("chromium")
            ?? throw new InvalidOperationException("chromium is not on PATH (Debian: apt-get install chromium)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        return new BrowserSession(playwright, browser);
    }

    /// <summary>A fresh context (its own storage, so its own name) with a page open at <paramref name="url"/>.</summary>
    public async Task<IPage> OpenAsync(string url)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
