namespace RealtimeApp.LoadGen.Scenarios;

/// <summary>
/// What a <c>hold</c> child process prints on stdout: one <see cref="HoldReport"/> once its clients are connected,
/// then one <see cref="HoldStatus"/> per <c>status</c> line it reads on stdin. It exits when stdin closes.
/// </summary>
internal sealed record HoldReport(int Connected, int Failed, string? FirstError);

internal sealed record HoldStatus(int Open);
