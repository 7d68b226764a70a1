using RealtimeApp.Tests.Support;

namespace RealtimeApp.Tests.Items;

/// <summary>
/// One app (private SQLite file) with two connected .NET clients, "olga" (who creates items) and "ben"
/// (who bids), shared by the tests of a class; each test creates the items it needs.
/// </summary>
public sealed class ItemBoardFixture : IAsyncLifetime
{
    internal ItemApp App { get; private set; } = null!;

    internal ItemClient Olga { get; private set; } = null!;

    internal ItemClient Ben { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await ItemApp.StartAsync();
        Olga = await App.ConnectAsync("olga");
        Ben = await App.ConnectAsync("ben");
    }

    public async Task DisposeAsync()
    {
        if (Ben is not null)
        {
            await Ben.DisposeAsync();
        }
        if (Olga is not null)
        {
            await Olga.DisposeAsync();
        }
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }
}
