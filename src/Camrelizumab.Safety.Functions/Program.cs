using Camrelizumab.Safety.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

SafetyFunctionsHost.Build(FunctionsApplication.CreateBuilder(args)).Run();
