namespace Camrelizumab.Safety.Storage.Local;

/// <summary>The local development services (Azurite, maildev) cannot be found or installed here: the user's setup, not a bug.</summary>
public sealed class DevServicesUnavailableException(string message) : Exception(message);
