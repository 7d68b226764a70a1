using Microsoft.Playwright;
using RealtimeApp.Tests.Support;

namespace RealtimeApp.BrowserTests;

/// <summary>
/// The page on a phone (390 × 844, an iPhone 12–15's CSS viewport) in real Chromium: nothing is cut off. The page
/// itself never scrolls sideways, and every column of the startup-trace table — the .NET and Python ones last —
/// can be brought into view by scrolling the table alone.
/// </summary>
public sealed class PhoneViewportTests
{
    private const int PhoneWidth = 390;

    [Fact]
    public async Task On_a_390px_viewport_the_page_fits_and_every_trace_column_can_be_scrolled_into_view()
    {
        var folder = Directory.CreateTempSubdirectory("board-phone-").FullName;
        await using var app = AppProcess.Start(Paths.AppDirectory, Path.Combine(Paths.AppDirectory, "RealtimeApp.dll"),
            ["--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string> { ["ConnectionStrings__Items"] = $"Data Source={Path.Combine(folder, "items.db")}" });
        var address = (await app.WaitForPhaseAsync("ready"))[0].GetProperty("Addresses")[0].GetString()!;
        await using var browser = await BrowserSession.LaunchAsync();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new() { Width = PhoneWidth, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 3,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(address);
        var trace = page.GetByTestId("startup-trace");
        await Assertions.Expect(trace.Locator("tbody tr").First).ToBeVisibleAsync(new() { Timeout = 20_000 });

        var pageWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(pageWidth <= PhoneWidth, $"the page is {pageWidth}px wide on a {PhoneWidth}px screen: it scrolls sideways");

        foreach (var header in new[] { ".NET", "Python" })
        {
            var cell = trace.Locator("th", new() { HasTextString = header });
            await cell.ScrollIntoViewIfNeededAsync();
            var box = (await cell.BoundingBoxAsync())!;
            Assert.True(box.X >= 0 && box.X + box.Width <= PhoneWidth + 0.5,
                $"the {header} column is at x={box.X}..{box.X + box.Width}, outside the {PhoneWidth}px screen even scrolled to");
        }
        // The last cell of a row (its Python call chain) too: readable, not clipped by an ancestor.
        var python = trace.Locator("tbody tr").First.Locator("td").Last;
        await python.ScrollIntoViewIfNeededAsync();
        var last = (await python.BoundingBoxAsync())!;
        Assert.True(last.X + last.Width <= PhoneWidth + 0.5, $"the first row's Python cell ends at x={last.X + last.Width}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "phone.png"), FullPage = true });
    }
}
