using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RealtimeApp.SocketIO.Hosting;

/// <summary>
/// Base of the options validators: reports the values that did not convert while binding
/// (<c>CheckedConfigurationBinding.BindConfigurationChecked</c>), then the rules of
/// <see cref="Check"/>, each problem one line (see <see cref="SettingProblems"/>). Register one with
/// <see cref="CheckedConfigurationBinding.AddSettingsValidator{T, TValidator}"/> so a bad value stops the host
/// before it binds a socket; <c>ValidateOnStart</c> gathers the failures of every options type into one throw.
/// </summary>
/// <param name="configuration">Where raw values are looked up (the host's configuration); null when there is none.</param>
public abstract class SettingsValidator<T>(IConfiguration? configuration) : IValidateOptions<T> where T : class
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var problems = Problems(options);
        return problems.Lines.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Lines);
    }

    /// <summary>The problems of <paramref name="options"/>: conversion failures from binding, then <see cref="Check"/>.</summary>
    public SettingProblems Problems(T options)
    {
        var (section, conversions) = CheckedConfigurationBinding.BindingOf(options);
        // Not bound from a section (e.g. MapEngineIO's per-endpoint copy): keys are named by type and property.
        var problems = new SettingProblems(configuration, section, typeof(T).Name);
        foreach (var line in conversions)
        {
            problems.AddLine(line);
        }
        Check(options, problems);
        return problems;
    }

    /// <summary>Adds a line to <paramref name="problems"/> for each rule <paramref name="options"/> breaks.</summary>
    protected abstract void Check(T options, SettingProblems problems);
}
